"""Scorecard rows of the bench: a regency with N work units × 25 monthly indicators × 12 months of verified
realisations (N = 10, 20, 40, 80). The data is written straight into the indicators database of the bench
stack (what months of use would leave there); the scorecards are computed by the service's own scorer;
then the regency's scorecard is read through the real API."""
from __future__ import annotations

import statistics
import time
import uuid
from datetime import datetime, timezone

import requests

from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.consumers.scorecards import Scorer
from tests.bench.http import BaselineServer, read_row
from tests.bench.report import Row
from tests.bench.stores import repository_of
from tests.conftest import auth_header
from kinerja.testing.stack import Stack

ADMIN = auth_header("admin")
INDICATORS_PER_UNIT = 25
MONTHS = [f"2025{m:02d}" for m in range(1, 13)]


def _regency(repo: IndicatorsRepository, units: int) -> tuple[str, list[str]]:
    regency = str(uuid.uuid4())
    replica = repo.directory.collection
    replica.insert_one({"_id": regency, "code": f"R{regency[:6]}", "name": "Kabupaten", "type": "regency",
                        "parent_id": None, "path": [], "status": "active", "sequence": 1})
    unit_ids = [str(uuid.uuid4()) for _ in range(units)]
    replica.insert_many([{"_id": u, "code": f"U{i:03d}-{u[:4]}", "name": f"Dinas {i}", "type": "work_unit",
                          "parent_id": regency, "path": [regency], "status": "active", "sequence": 1}
                         for i, u in enumerate(unit_ids)])
    now = datetime.now(timezone.utc)
    indicators, realisations = [], []
    for unit in [regency, *unit_ids]:
        for k in range(INDICATORS_PER_UNIT):
            indicator_id = str(uuid.uuid4())
            targets = {m: {"value": 100.0, "min": None, "max": None, "revision": 1} for m in MONTHS}
            indicators.append({"_id": indicator_id, "agency_id": unit, "code": f"IKU-{k:02d}", "name": f"Indikator {k}",
                               "unit": "%", "polarity": "higher_is_better", "frequency": "monthly", "weight": 1 + k % 3,
                               "category": "IKU", "status": "active", "targets": targets, "target_history": [],
                               "version": 1, "outbox": []})
            realisations += [{"_id": f"{indicator_id}:{m}", "indicator_id": indicator_id, "agency_id": unit,
                              "period": m, "value": 60.0 + (k * 7 + i * 3) % 45, "status": "verified", "version": 1,
                              "history": [], "outbox": [], "created_at": now} for i, m in enumerate(MONTHS)]
    repo.indicators.collection.insert_many(indicators)
    for start in range(0, len(realisations), 5000):
        repo.realisations.collection.insert_many(realisations[start:start + 5000])
    return regency, unit_ids


def _compute(repo: IndicatorsRepository, regency: str, units: list[str]) -> float:
    """Every scorecard of the units and of the regency, for the 12 months, 4 quarters and the year: what the
    scorer's flush does when all of them are dirty (units first, then the regency, in batches)."""
    scorer = Scorer(repo)
    periods = [*MONTHS, "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2025"]
    started = time.monotonic()
    scorer.marks.full.update((agency, period) for agency in [*units, regency] for period in periods)
    scorer.flush()
    return time.monotonic() - started


def _read(stack: Stack, regency: str, samples: int = 200) -> tuple[float, float]:
    session = requests.Session()
    url = stack.url("indicators", f"/api/v1/agencies/{regency}/scorecard?period=2025")
    for _ in range(10):
        assert session.get(url, headers=ADMIN, timeout=10).json()["computed"]
    times = []
    for _ in range(samples):
        started = time.monotonic()
        session.get(url, headers=ADMIN, timeout=10).raise_for_status()
        times.append(time.monotonic() - started)
    times.sort()
    return statistics.median(times) * 1000, times[int(0.99 * (len(times) - 1))] * 1000


def scorecard_rows(stack: Stack, baseline: BaselineServer, seconds: int, sizes=(10, 20, 40, 80)) -> list[Row]:
    repo = repository_of(stack, "indicators")
    rows = []
    for units in sizes:
        regency, unit_ids = _regency(repo, units)
        computed = _compute(repo, regency, unit_ids)
        p50, p99 = _read(stack, regency)
        indicators = (units + 1) * INDICATORS_PER_UNIT
        rows.append(Row(f"scorecard of a regency, {units} units × 25 indicators × 12 months ({indicators * 12:,} "
                        f"verified realisations): GET, and computing all its {(units + 1) * 17:,} scorecards",
                        f"GET p50 {p50:.1f} ms, p99 {p99:.1f} ms; computing {computed:.1f} s "
                        f"({computed / (units + 1) * 1000:.0f} ms per agency)",
                        budget="GET < 200 ms", passed=p99 < 200))
        if units == 40:  # the budget's regency, also under load against the bare find_one of the same document
            path = f"/api/v1/agencies/{regency}/scorecard?period=2025"
            document = requests.get(stack.url("indicators", path), headers=ADMIN, timeout=10).json()
            rows.append(read_row(stack, baseline, seconds, "GET scorecard of the 40-unit regency", "indicators",
                                 path, document))
    return rows
