"""Reform summary rows of the bench: a province-sized year (2,000 activities, 40,000 participants, their
follow-ups) over a province of 11 regencies × 40 work units. The data is written straight into the
reforms database of the bench stack in the service's own document format (what a year of use would leave
there); then the summary of one regency, and of the whole province, is read through the real API."""
from __future__ import annotations

import random
import statistics
import time
import uuid
from datetime import datetime, timedelta, timezone

import requests

from shared.contracts.reforms import ACTIVITY_STATUSES
from shared.commands import Change
from shared.reform_areas import AREA_CODES
from services.reforms.adapters.repository import ReformsRepository
from services.reforms.domain import participants as rules
from services.reforms.domain.schedule import schedule
from tests.bench.report import Row
from tests.bench.stores import repository_of
from tests.conftest import auth_header
from kinerja.testing.stack import Stack

ADMIN = auth_header("admin")
WIB = timezone(timedelta(hours=7))
REGENCIES, UNITS, ACTIVITIES, PARTICIPANTS_EACH, FOLLOW_UPS_EACH = 11, 40, 2000, 20, 2


def _province(repo: ReformsRepository) -> tuple[str, dict[str, list[str]]]:
    """The province, its regencies and their work units, in the replica; returns {regency: units}."""
    province = str(uuid.uuid4())
    docs = [{"_id": province, "code": f"P{province[:6]}", "name": "Provinsi", "type": "province", "parent_id": None,
             "path": [], "status": "active", "sequence": 1}]
    tree = {}
    for r in range(REGENCIES):
        regency = str(uuid.uuid4())
        docs.append({"_id": regency, "code": f"R{r:02d}-{regency[:4]}", "name": f"Kabupaten {r}", "type": "regency",
                     "parent_id": province, "path": [province], "status": "active", "sequence": 1})
        tree[regency] = [str(uuid.uuid4()) for _ in range(UNITS)]
        docs += [{"_id": u, "code": f"R{r:02d}.{i:02d}-{u[:4]}", "name": f"Dinas {i}", "type": "work_unit",
                  "parent_id": regency, "path": [province, regency], "status": "active", "sequence": 1}
                 for i, u in enumerate(tree[regency])]
    repo.directory.collection.insert_many(docs)
    return province, tree


def _year(repo: ReformsRepository, tree: dict[str, list[str]], rng: random.Random) -> tuple[int, int]:
    """2,000 activities of 2025 with 20 participants each (mostly from the organiser's regency) and two
    follow-ups per activity that took place."""
    activities, follow_ups, people = [], [], 0
    regencies = list(tree)
    for n in range(ACTIVITIES):
        regency = regencies[n % len(regencies)]
        organiser = rng.choice([regency, *tree[regency]])
        day = datetime(2025, 1, 6, 8, tzinfo=WIB) + timedelta(days=rng.randrange(355))
        status = rng.choices(ACTIVITY_STATUSES, weights=(2, 1, 6, 1))[0]
        guests = [rng.choice(tree[rng.choice(regencies)] if rng.random() < 0.1 else tree[regency])
                  for _ in range(PARTICIPANTS_EACH)]
        registered = rules.register([], [{"agency_id": a, "name": f"Peserta {n}-{i}"} for i, a in enumerate(guests)],
                                    [f"p{i}" for i in range(len(guests))], day)
        if status in ("in_progress", "completed"):
            registered = rules.mark_attendance(registered, [p["id"] for p in registered[:-2]], [registered[-1]["id"]])
        people += len(registered)
        activity_id = str(uuid.uuid4())
        state = {"id": activity_id, "title": f"Kegiatan {n}", "kind": "fgd", "area": rng.choice(AREA_CODES),
                 "organiser_agency_id": organiser, **schedule(day, day + timedelta(hours=8)), "status": status,
                 "planned_participants": PARTICIPANTS_EACH, "linked_indicator_ids": [], "speakers": [],
                 "participants": registered, **rules.tallies(registered), "history": []}
        activities.append(repo.activities.new_document(Change(fields=state, after=state)))
        if status in ("in_progress", "completed"):
            for k in range(FOLLOW_UPS_EACH):
                due = (day + timedelta(days=30 * (k + 1))).date().isoformat()
                follow_up = {"id": str(uuid.uuid4()), "activity_id": activity_id, "activity_year": 2025,
                             "organiser_agency_id": organiser, "action": f"Tindak lanjut {k}", "owner_agency_id": organiser,
                             "due": due, "status": rng.choice(("open", "in_progress", "done")), "history": []}
                follow_ups.append(repo.follow_ups.new_document(Change(fields=follow_up, after=follow_up)))
    for start in range(0, len(activities), 500):
        repo.activities.collection.insert_many(activities[start:start + 500])
    repo.follow_ups.collection.insert_many(follow_ups)
    return len(activities), people


def latency(url: str, samples: int = 100) -> tuple[float, float]:
    """p50 and p99 in ms of GETs of `url` after a warm-up (the bench's read rows share it)."""
    session = requests.Session()
    for _ in range(5):
        session.get(url, headers=ADMIN, timeout=30).raise_for_status()
    times = []
    for _ in range(samples):
        started = time.monotonic()
        session.get(url, headers=ADMIN, timeout=30).raise_for_status()
        times.append(time.monotonic() - started)
    times.sort()
    return statistics.median(times) * 1000, times[int(0.99 * (len(times) - 1))] * 1000


def summary_rows(stack: Stack) -> list[Row]:
    repo = repository_of(stack, "reforms")
    province, tree = _province(repo)
    activities, people = _year(repo, tree, random.Random(2025))
    regency = next(iter(tree))
    rows = []
    for scope, agency_id, budget in (("a regency (41 agencies)", regency, 200),
                                     (f"the province ({1 + REGENCIES * (UNITS + 1)} agencies)", province, None)):
        url = stack.url("reforms", f"/api/v1/agencies/{agency_id}/reform-summary?year=2025")
        answer = requests.get(url, headers=ADMIN, timeout=30).json()
        p50, p99 = latency(url)
        rows.append(Row(f"reform summary of {scope} with roll-up, over a province-sized year ({activities:,} "
                        f"activities, {people:,} participants)",
                        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms ({answer['rollup']['activities']['total']:,} activities "
                        "counted)", budget=f"< {budget} ms" if budget else "-",
                        passed=p99 < budget if budget else None))
    return rows
