"""The search row of the bench: `GET /agencies?q=…` over a national registry of 100,000 agencies (38
provinces, 514 regencies and cities, their work units and sub-units), written straight into the agencies
database of the bench stack in the service's stored form (without their events: the row measures the
search, not the pipeline), then searched through the real API under wrk."""
from __future__ import annotations

import time

import requests

from shared.auth.tokens import Principal
from shared.search import matching
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
SUB_UNITS = ("Sekretariat", "Bidang Program", "Bidang Pelayanan", "Bidang Pengendalian", "Bidang Pengembangan",
             "Seksi Data dan Informasi", "Seksi Evaluasi", "UPTD Wilayah I", "UPTD Wilayah II")
# What people type to find one agency (its distinguishing words, or its code), and the broadest words there are.
QUERIES = ("kesehatan kab 1407", "inspektorat 3502", "n15.06.04", "bidang program dinas sosial kab 1101",
           "rumah sakit", "kesehatan", "dinas")


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

    for p in range(38):
        # Codes under an N prefix of their own: the other rows' data (the demo's "15" among them) may be there.
        province = add({"code": f"N{p + 11}", "name": f"Pemerintah Provinsi {p + 11}", "type": "province"}, None)
        for r in range(14):  # 38 × 14 = 532 regencies and cities, 20 work units each, 9 sub-units each
            regency = add({"code": f"N{p + 11}.{r + 1:02d}", "name": f"Pemerintah Kabupaten {p + 11}{r + 1:02d}",
                           "type": "regency"}, province)
            for u, unit_name in enumerate(WORK_UNITS):
                unit = add({"code": f"{regency['code']}.{u + 1:02d}", "type": "work_unit",
                            "name": f"{unit_name} Kab {p + 11}{r + 1:02d}"}, regency)
                for s, sub_name in enumerate(SUB_UNITS):
                    add({"code": f"{unit['code']}.{s + 1}", "name": f"{sub_name} {unit_name} Kab {p + 11}{r + 1:02d}",
                         "type": "sub_unit"}, unit)
    docs = docs[:total]
    for start in range(0, len(docs), 5000):
        agencies.store.collection.insert_many(docs[start:start + 5000], ordered=False)
    return agencies.store.collection.estimated_document_count()


def _bare(collection, q: str, samples: int = 30) -> float:
    """The ceiling: the same page and count straight from pymongo, one at a time (p99 in ms)."""
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        list(collection.find(matching(q), {"_id": 1}).sort([("code", 1)]).limit(20))
        collection.count_documents(matching(q))
        times.append(time.perf_counter() - started)
    times.sort()
    return times[int(0.99 * (len(times) - 1))] * 1000


def search_rows(stack: Stack, seconds: int = 5) -> list[Row]:
    """Each query under wrk with one connection (a person typing: the latency, not the throughput), against the
    same query sent straight by pymongo."""
    stored = _registry(stack)
    collection = repository_of(stack, "agencies").store.collection
    rows = []
    for q in QUERIES:
        url = stack.url("agencies", f"/api/v1/agencies?q={requests.utils.quote(q)}&page_size=20")
        found = requests.get(url, headers=ADMIN, timeout=30).json()["total"]
        result = wrk.run(url, seconds=seconds, connections=1, threads=1, headers=ADMIN)
        ceiling = _bare(collection, q)
        rows.append(Row(f"search `q={q}` over {stored:,} agencies ({found:,} found)",
                        f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms", f"p99 {ceiling:.1f} ms (pymongo)",
                        "-", "p99 < 100 ms", result.p99_ms < 100 and not result.errors))
    return rows
