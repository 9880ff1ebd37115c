"""The search row of the bench: `GET /agencies?q=…` over a national registry of 100,000 agencies (38
provinces, 514 regencies and cities, their work units and sub-units), written straight into the agencies
database of the bench stack in the service's stored form (without their events: the row measures the
search, not the pipeline), then searched through the real API under wrk."""
from __future__ import annotations

import itertools

import requests

from shared.auth.tokens import Principal
from services.agencies.commands.common import AgencyContext
from services.agencies.commands.registry import new_agency
from tests.bench import wrk
from tests.bench.report import Row
from tests.bench.stores import repository_of
from tests.conftest import auth_header
from kinerja.testing.stack import Stack

ADMIN = auth_header("admin")
WORK_UNITS = ("Sekretariat Daerah", "Inspektorat", "Badan Perencanaan Pembangunan Daerah", "Dinas Pendidikan",
              "Dinas Kesehatan", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas Sosial", "Dinas Perhubungan",
              "Dinas Komunikasi dan Informatika", "Dinas Kependudukan dan Pencatatan Sipil", "Badan Kepegawaian Daerah",
              "Badan Keuangan dan Aset Daerah", "Dinas Lingkungan Hidup", "Dinas Pertanian", "Dinas Pariwisata",
              "Satuan Polisi Pamong Praja", "Dinas Penanaman Modal dan PTSP", "Dinas Perindustrian dan Perdagangan",
              "Rumah Sakit Umum Daerah", "Badan Penanggulangan Bencana Daerah")
SUB_UNITS = ("Sekretariat", "Bidang Program", "Bidang Pelayanan", "Seksi Data", "UPTD")
QUERIES = ("kesehatan", "dinas kesehatan kab 14", "14.07", "sekretariat", "dinas")


def _registry(stack: Stack, total: int = 100_000) -> int:
    """Provinces, regencies, work units and sub-units up to `total`, in the stored form (no events)."""
    agencies = repository_of(stack, "agencies")
    ctx = AgencyContext(Principal("bench", "admin", "*"), agencies)
    docs = []

    def add(fields: dict, parent: dict | None) -> dict:
        change = new_agency(ctx, {"short_name": None, "head": None, "contact": None, **fields}, parent)
        doc = agencies.store.new_document(change)
        doc.update(outbox=[], audit_pending=[])
        doc.pop("outbox_due", None)
        docs.append(doc)
        return change.after

    count = itertools.count()
    for p in range(38):
        province = add({"code": f"{p + 11}", "name": f"Pemerintah Provinsi {p + 11}", "type": "province"}, None)
        for r in range(14):  # 38 × 14 = 532 regencies and cities
            regency = add({"code": f"{p + 11}.{r + 1:02d}", "name": f"Pemerintah Kabupaten {p + 11}{r + 1:02d}",
                           "type": "regency"}, province)
            for u, unit_name in enumerate(WORK_UNITS):
                unit = add({"code": f"{regency['code']}.{u + 1:02d}", "type": "work_unit",
                            "name": f"{unit_name} Kab {p + 11}{r + 1:02d}"}, regency)
                for s, sub_name in enumerate(SUB_UNITS[:3]):
                    if next(count) * 4 + len(docs) >= total:
                        break
                    add({"code": f"{unit['code']}.{s + 1}", "name": f"{sub_name} {unit_name}", "type": "sub_unit"}, unit)
        if len(docs) >= total:
            break
    docs = docs[:total]
    for start in range(0, len(docs), 5000):
        agencies.store.collection.insert_many(docs[start:start + 5000], ordered=False)
    return agencies.store.collection.estimated_document_count()


def search_rows(stack: Stack, seconds: int = 5, connections: int = 4) -> list[Row]:
    stored = _registry(stack)
    rows = []
    for q in QUERIES:
        url = stack.url("agencies", f"/api/v1/agencies?q={requests.utils.quote(q)}&page_size=20")
        found = requests.get(url, headers=ADMIN, timeout=30).json()["total"]
        result = wrk.run(url, seconds=seconds, connections=connections, headers=ADMIN)
        rows.append(Row(f"search `q={q}` over {stored:,} agencies ({found:,} found), {connections} connections",
                        f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms ({result.requests_per_s:,.0f} req/s)",
                        budget="p99 < 100 ms", passed=result.p99_ms < 100 and not result.errors))
    return rows
