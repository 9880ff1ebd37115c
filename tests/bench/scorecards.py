"""Scorecard rows of the bench: a regency with N work units × 25 indicators of mixed aggregations (monthly
averages, quarterly sums, quarterly "last" lower-is-better), a year of verified realisations and the year
before, each agency with its strategic plan (N = 10, 20, 40, 80). The data is written straight into the
indicators database of the bench stack (what months of use would leave there); the scorecards are computed
by the service's own scorer; then the regency's scorecard is read through the real API. The 40-unit
regency's work unit also signs a performance agreement of its 25 indicators through the API, and that
agreement is read back (its budget: < 50 ms)."""
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
QUARTERS = [f"2025Q{q}" for q in range(1, 5)]
# k % 3 → (frequency, aggregation, polarity)
KINDS = (("monthly", "average", "higher_is_better"), ("quarterly", "sum", "higher_is_better"),
         ("quarterly", "last", "lower_is_better"))


def _target(value: float) -> dict:
    return {"value": value, "min": None, "max": None, "revision": 1}


def _indicator(unit: str, k: int, kinds=KINDS) -> tuple[dict, list[tuple[str, float]]]:
    """One indicator of the unit and its verified values of 2024 and 2025."""
    frequency, aggregation, polarity = kinds[k % len(kinds)]
    parts = MONTHS if frequency == "monthly" else QUARTERS
    values = [(p, 60.0 + (k * 7 + i * 3) % 45) for i, p in enumerate(parts)]
    values += [(p.replace("2025", "2024", 1), v - 5) for p, v in values]
    if aggregation == "sum":
        targets = {"2025": _target(320.0), "2024": _target(300.0), **{q: _target(80.0) for q in QUARTERS}}
    else:
        targets = {"2025": _target(80.0), "2024": _target(80.0)}
    indicator = {"_id": str(uuid.uuid4()), "agency_id": unit, "code": f"IKU-{k:02d}", "name": f"Indikator {k}",
                 "unit": "%", "polarity": polarity, "frequency": frequency, "aggregation": aggregation,
                 "weight": 1 + k % 3, "category": "IKU", "status": "active", "targets": targets,
                 "target_history": [], "version": 1, "outbox": []}
    return indicator, values


def _plan(unit: str, indicators: list[dict]) -> dict:
    plan_id = str(uuid.uuid4())
    objectives = [{"id": f"{plan_id}:S{n}", "code": f"S{n}", "name": f"Sasaran {n}", "supports_objective_id": None,
                   "indicators": [{"indicator_id": i["_id"], "baseline": {"value": 55.0, "year": 2024},
                                   "targets": {"2025": 80.0}, "end_target": 90.0} for i in indicators[n::5]]}
                  for n in range(5)]
    return {"_id": plan_id, "agency_id": unit, "name": "Renstra 2025–2029", "start_year": 2025, "end_year": 2029,
            "status": "active", "goals": [{"code": "T1", "name": "Tujuan", "objectives": objectives}],
            "objective_ids": [o["id"] for o in objectives], "indicator_ids": [i["_id"] for i in indicators],
            "history": [], "version": 1, "outbox": []}


def _regency(repo: IndicatorsRepository, units: int, kinds=KINDS, years=("2024", "2025")) -> tuple[str, list[str], int]:
    """A regency of `units` work units, 25 indicators each of `kinds`, with verified values of `years`."""
    regency = str(uuid.uuid4())
    replica = repo.directory.collection
    replica.insert_one({"_id": regency, "code": f"R{regency[:6]}", "name": "Kabupaten", "type": "regency",
                        "parent_id": None, "path": [], "status": "active", "sequence": 1})
    unit_ids = [str(uuid.uuid4()) for _ in range(units)]
    replica.insert_many([{"_id": u, "code": f"U{i:03d}-{u[:4]}", "name": f"Dinas {i}", "type": "work_unit",
                          "parent_id": regency, "path": [regency], "status": "active", "sequence": 1}
                         for i, u in enumerate(unit_ids)])
    now = datetime.now(timezone.utc)
    indicators, realisations, plans = [], [], []
    for unit in [regency, *unit_ids]:
        own = []
        for k in range(INDICATORS_PER_UNIT):
            indicator, values = _indicator(unit, k, kinds)
            values = [(p, v) for p, v in values if p[:4] in years]
            own.append(indicator)
            realisations += [{"_id": f"{indicator['_id']}:{p}", "indicator_id": indicator["_id"], "agency_id": unit,
                              "period": p, "value": v, "status": "verified", "version": 1, "history": [],
                              "outbox": [], "created_at": now} for p, v in values]
        indicators += own
        plans.append(_plan(unit, own))
    repo.indicators.collection.insert_many(indicators)
    repo.plans.collection.insert_many(plans)
    for start in range(0, len(realisations), 5000):  # (none when `years` is empty)
        repo.realisations.collection.insert_many(realisations[start:start + 5000])
    return regency, unit_ids, len(realisations)


def _compute(repo: IndicatorsRepository, regency: str, units: list[str]) -> float:
    """Every scorecard of the units and of the regency, for the 12 months, 4 quarters and the year: what the
    scorer's flush does when all of them are dirty (units first, then the regency, in batches)."""
    scorer = Scorer(repo)
    periods = [*MONTHS, *QUARTERS, "2025"]
    started = time.monotonic()
    scorer.marks.full.update((agency, period) for agency in [*units, regency] for period in periods)
    scorer.flush()
    return time.monotonic() - started


def _read(stack: Stack, regency: str) -> tuple[float, float]:
    path = f"/api/v1/agencies/{regency}/scorecard?period=2025"
    assert requests.get(stack.url("indicators", path), headers=ADMIN, timeout=10).json()["computed"]
    return _timed(stack, path)


def _agreement(stack: Stack, unit: str) -> str:
    """The unit's 2025 agreement of its 25 indicators with quarterly targets, drafted and signed via the API."""
    listed = requests.get(stack.url("indicators", "/api/v1/indicators"), headers=ADMIN, timeout=10,
                          params={"agency_id": unit, "page_size": 100}).json()["items"]
    rows = [{"indicator_id": i["id"], "target": {"value": 80},
             **({"quarterly_targets": {f"Q{q}": {"value": 20} for q in range(1, 5)}}
                if i["frequency"] != "annual" else {})} for i in listed]
    body = {"agency_id": unit, "year": 2025, "head": {"name": "Kepala Dinas", "title": "Kepala Dinas"},
            "superior": {"name": "Bupati", "title": "Bupati"},
            "objectives": [{"name": f"Sasaran {n}", "indicators": rows[n::5]} for n in range(5)],
            "budget": [{"programme": f"Program {n}", "amount": 1e9 + n} for n in range(8)]}
    draft = requests.post(stack.url("indicators", "/api/v1/performance-agreements"), json=body, headers=ADMIN,
                          timeout=10)
    draft.raise_for_status()
    agreement = draft.json()["id"]
    requests.post(stack.url("indicators", f"/api/v1/performance-agreements/{agreement}/sign"), timeout=10,
                  headers={**ADMIN, "If-Match": draft.headers["ETag"]}).raise_for_status()
    return agreement


def _timed(stack: Stack, path: str, samples: int = 200) -> tuple[float, float]:
    """p50 and p99 in ms of `samples` reads of `path`, after ten to warm up."""
    session = requests.Session()
    url = stack.url("indicators", path)
    for _ in range(10):
        session.get(url, headers=ADMIN, timeout=10).raise_for_status()
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
        regency, unit_ids, realisations = _regency(repo, units)
        computed = _compute(repo, regency, unit_ids)
        p50, p99 = _read(stack, regency)
        indicators = (units + 1) * INDICATORS_PER_UNIT
        rows.append(Row(f"scorecard of a regency, {units} units × 25 indicators of mixed aggregations, monthly and "
                        f"quarterly ({indicators} indicators, {realisations:,} verified realisations of 2024 "
                        f"and 2025, plans): GET, and computing all its {(units + 1) * 17:,} scorecards",
                        f"GET p50 {p50:.1f} ms, p99 {p99:.1f} ms; computing {computed:.1f} s "
                        f"({computed / (units + 1) * 1000:.0f} ms per agency)",
                        budget="GET < 200 ms", passed=p99 < 200))
        if units == 40:  # the budget's regency, also under load against the bare find_one of the same document
            path = f"/api/v1/agencies/{regency}/scorecard?period=2025"
            document = requests.get(stack.url("indicators", path), headers=ADMIN, timeout=10).json()
            rows.append(read_row(stack, baseline, seconds, "GET scorecard of the 40-unit regency", "indicators",
                                 path, document))
            agreement = _agreement(stack, unit_ids[0])
            p50, p99 = _timed(stack, f"/api/v1/performance-agreements/{agreement}")
            rows.append(Row("GET a signed performance agreement of 25 indicators with quarterly targets and 8 "
                            "budget lines", f"p50 {p50:.1f} ms, p99 {p99:.1f} ms", budget="< 50 ms", passed=p99 < 50))
    return rows
