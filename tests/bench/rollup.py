"""The roll-up row of the bench: verified monthly realisations visible in the regency's roll-up.

A regency of 42 work units with a sub-unit each; every sub-unit has a monthly indicator with a target of 100
for every month of 2025 and a submitted realisation waiting for each month (504 in all, all through the
API). Then an evaluator verifies them at a steady rate, and a watcher times each from its 200 to the moment
the regency's scorecard of that month shows the new score in its work unit's row (sub-unit → work unit →
regency: three cards up the tree, each month's work unit scored by one sub-unit only, so its score is known)."""
from __future__ import annotations

import threading
import time
import uuid

import requests
from pymongo import MongoClient

from tests.bench.load import at_steady_rate, p50_p99_ms
from tests.bench.report import Row
from tests.conftest import auth_header
from kinerja.testing.stack import Stack

ADMIN = auth_header("admin")
UNITS, MONTHS = 42, [f"2025{m:02d}" for m in range(1, 13)]


def _call(session: requests.Session, method: str, url: str, **kwargs) -> dict:
    response = session.request(method, url, timeout=30, **kwargs)
    assert response.status_code in (200, 201), (url, response.status_code, response.text[:300])
    return response.json()


def _tree(stack: Stack, session: requests.Session) -> tuple[str, list[tuple[str, str]]]:
    """The regency and its (work unit, sub-unit) pairs, registered through the agencies API."""
    prefix = "RU" + uuid.uuid4().hex[:5]
    lines = ["code,name,type,parent_code", f"{prefix},Provinsi {prefix},province,",
             f"{prefix}.R,Kabupaten {prefix},regency,{prefix}"]
    for u in range(UNITS):
        lines += [f"{prefix}.R.{u:02d},Dinas {u},work_unit,{prefix}.R", f"{prefix}.R.{u:02d}.1,Bidang {u},sub_unit,"
                  f"{prefix}.R.{u:02d}"]
    report = _call(session, "POST", stack.url("agencies", "/api/v1/agencies/import"), data="\n".join(lines).encode(),
                   headers={**ADMIN, "Content-Type": "text/csv"})
    ids = {row["code"]: row["id"] for row in report["rows"]}
    return ids[f"{prefix}.R"], [(ids[f"{prefix}.R.{u:02d}"], ids[f"{prefix}.R.{u:02d}.1"]) for u in range(UNITS)]


def _known(stack: Stack, agency_ids: list[str], timeout: float = 120) -> None:
    replica = MongoClient("mongodb://127.0.0.1:27017")[f"{stack.namespace}kinerja_indicators"].agency_replica
    deadline = time.monotonic() + timeout
    while replica.count_documents({"_id": {"$in": agency_ids}}) < len(agency_ids):
        assert time.monotonic() < deadline, "the indicators replica did not catch up with the tree"
        time.sleep(0.2)


def rollup_row(stack: Stack, rate: int = 50) -> Row:
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=32))
    regency, pairs = _tree(stack, session)
    _known(stack, [regency, *(a for pair in pairs for a in pair)])
    indicators = stack.url("indicators", "/api/v1/indicators")
    pending = []  # (indicator id, month, work unit, value)
    for n, (unit, sub) in enumerate(pairs):
        indicator = _call(session, "POST", indicators, headers=ADMIN, json={
            "agency_id": sub, "code": "IKU-01", "name": "Layanan selesai tepat waktu", "unit": "%",
            "polarity": "higher_is_better", "frequency": "monthly"})
        operator = auth_header("operator", sub, sub="operator@bidang")
        for m, month in enumerate(MONTHS):
            base = f"{indicators}/{indicator['id']}"
            _call(session, "PUT", f"{base}/targets/{month}", headers=ADMIN, json={"value": 100})
            value = 50 + (n * 7 + m * 3) % 50
            _call(session, "PUT", f"{base}/realisations/{month}", headers=operator, json={"value": value})
            _call(session, "POST", f"{base}/realisations/{month}/submit", headers=operator)
            pending.append((indicator["id"], month, unit, float(value)))
    cards = MongoClient("mongodb://127.0.0.1:27017", tz_aware=True)[f"{stack.namespace}kinerja_indicators"].scorecards
    verified: dict[int, float] = {}
    visible: dict[int, float] = {}
    lock, done = threading.Lock(), threading.Event()
    evaluator = auth_header("evaluator", regency, sub="evaluator@inspektorat")

    def verify(index: int) -> None:
        indicator_id, month, _, _ = pending[index]
        _call(session, "POST", f"{indicators}/{indicator_id}/realisations/{month}/verify", headers=evaluator)
        with lock:
            verified[index] = time.monotonic()

    def watch() -> None:
        while not done.is_set() or len(visible) < len(verified):
            with lock:
                waiting = [i for i in verified if i not in visible]
            if waiting:
                found = {doc["_id"]: {row["agency_id"]: row["score"] for row in doc["children"]}
                         for doc in cards.find({"_id": {"$in": [f"{regency}:{pending[i][1]}" for i in waiting]}},
                                               {"children.agency_id": 1, "children.score": 1})}
                now = time.monotonic()
                with lock:
                    for i in waiting:
                        _, month, unit, value = pending[i]
                        if found.get(f"{regency}:{month}", {}).get(unit) == value:
                            visible[i] = now
            time.sleep(0.02)  # a resolution of 20 ms: watching more often would load the database it measures

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    achieved = at_steady_rate(len(pending), rate, verify, workers=16)
    done.set()
    watcher.join(timeout=120)
    latencies = [visible[i] - verified[i] for i in verified if i in visible]
    p50, p99 = p50_p99_ms(latencies)
    return Row(f"verified monthly realisation visible in the regency's roll-up (sub-unit → work unit → regency) at "
               f"{rate} verifications/s",
               f"p50 {p50:.0f} ms, p99 {p99:.0f} ms ({len(latencies)}/{len(pending)} seen, {achieved:.0f} verifications/s)",
               budget="p99 < 500 ms", passed=p99 < 500 and len(latencies) == len(pending))
