"""Work-culture rows of the bench: the results of a survey of 2,000 respondents (before and after) read through the
real API, and answers accepted at 200 a second (each respondent with a token of their own NIP) with their latency.

The 2,000 respondents' answers are written straight into the reforms database in the service's own format (what a
survey of that size leaves there); the answers of the second row go through the API, paced, from 16 threads."""
from __future__ import annotations

import random
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import requests

from shared.commands import Change
from services.reforms.commands.surveys import respondent_key
from services.reforms.domain import participants as rules
from services.reforms.domain import survey as survey_rules
from services.reforms.domain.instruments import berakhlak_items
from services.reforms.domain.schedule import schedule
from tests.bench.reforms import latency
from tests.bench.report import Row
from tests.bench.stores import repository_of
from tests.conftest import auth_header
from kinerja.testing.stack import Stack

ADMIN = auth_header("admin")
WIB = timezone(timedelta(hours=7))
RESPONDENTS, UNITS = 2000, 40
RATE, SECONDS, THREADS = 200, 10, 16


def nip(n: int) -> str:
    return f"19800101200501{n:04d}"


def _regency(repo) -> tuple[str, list[str]]:
    regency = str(uuid.uuid4())
    units = [str(uuid.uuid4()) for _ in range(UNITS)]
    repo.directory.collection.insert_many(
        [{"_id": regency, "code": f"B{regency[:6]}", "name": "Kabupaten", "type": "regency", "parent_id": None,
          "path": [], "status": "active", "sequence": 1}] +
        [{"_id": u, "code": f"B{regency[:4]}.{i:02d}", "name": f"Dinas {i}", "type": "work_unit", "parent_id": regency,
          "path": [regency], "status": "active", "sequence": 1} for i, u in enumerate(units)])
    return regency, units


def _activity(repo, regency: str, units: list[str], people: int, status: str) -> dict:
    day = datetime(2025, 3, 4, 8, tzinfo=WIB)
    registered = rules.register([], [{"agency_id": units[n % len(units)], "name": f"Peserta {n}", "nip": nip(n)}
                                     for n in range(people)], [f"p{n}" for n in range(people)], day)
    state = {"id": str(uuid.uuid4()), "title": "Internalisasi nilai BerAKHLAK", "kind": "training",
             "area": "manajemen_perubahan", "organiser_agency_id": regency, **schedule(day, day + timedelta(hours=8)),
             "status": status, "planned_participants": people, "linked_indicator_ids": [], "speakers": [],
             "participants": registered, **rules.tallies(registered), "history": []}
    repo.activities.collection.insert_one(repo.activities.new_document(Change(fields=state, after=state)))
    repo.remember_respondents(state["id"], registered)  # as registering through the API does
    return state


def _survey(repo, activity: dict, pre: str, post: str) -> dict:
    state = {"id": str(uuid.uuid4()), "activity_id": activity["id"], "activity_title": activity["title"],
             "activity_year": 2025, "organiser_agency_id": activity["organiser_agency_id"],
             "instrument_id": "berakhlak-1", "instrument_code": "berakhlak", "k": 5,
             "pre": {**survey_rules.new_phase(), "status": pre}, "post": {**survey_rules.new_phase(), "status": post},
             "answered": {"pre": 0, "post": 0}, "salt": uuid.uuid4().hex, "post_rollup": None, "rollup_agency_ids": [],
             "history": []}
    repo.surveys.collection.insert_one(repo.surveys.new_document(Change(fields=state, after=state)))
    repo.instruments.collection.update_one({"_id": "berakhlak-1"}, {"$set": {"in_use": True}})  # as attaching does
    return state


def _answered(repo, regency: str, units: list[str], survey: dict, rng: random.Random) -> None:
    items = berakhlak_items()
    docs = []
    for phase, lift in (("pre", 0), ("post", 1)):
        for n in range(RESPONDENTS):
            answers = {i.code: max(1, min(5, rng.randint(2, 4) + (lift if rng.random() < 0.5 else 0))) for i in items}
            key = respondent_key(survey["salt"], nip(n))
            docs.append({"_id": f"{survey['id']}:{phase}:{key}", "survey_id": survey["id"], "phase": phase,
                         "respondent": key, "agency_id": units[n % len(units)],
                         "items": answers, "scores": survey_rules.scores(items, answers), "at": datetime.now(timezone.utc)})
    for start in range(0, len(docs), 1000):
        repo.answers.insert_many(docs[start:start + 1000])
    repo.surveys.collection.update_one({"_id": survey["id"]}, {"$set": {"answered": {"pre": RESPONDENTS,
                                                                                    "post": RESPONDENTS}}})


def results_row(stack: Stack, repo, regency: str, units: list[str]) -> Row:
    activity = _activity(repo, regency, units, RESPONDENTS, "completed")
    survey = _survey(repo, activity, "closed", "closed")
    _answered(repo, regency, units, survey, random.Random(2025))
    url = stack.url("reforms", f"/api/v1/surveys/{survey['id']}/results")
    answer = requests.get(url, headers=ADMIN, timeout=30).json()
    p50, p99 = latency(url, samples=50)
    return Row(f"survey results of {RESPONDENTS:,} respondents before and after (7 values, {UNITS} agencies, "
               "paired change and interval)",
               f"p50 {p50:.1f} ms, p99 {p99:.1f} ms ({answer['dimensions'][-1]['change']['pairs']:,} pairs)",
               budget="< 200 ms", passed=p99 < 200)


def answers_row(stack: Stack, repo, regency: str, units: list[str]) -> Row:
    """Answers at RATE a second for SECONDS, each with its own respondent's token, paced (open loop)."""
    count = RATE * SECONDS
    activity = _activity(repo, regency, units, count, "planned")
    survey = _survey(repo, activity, "open", "scheduled")
    items = berakhlak_items()
    url = stack.url("reforms", f"/api/v1/surveys/{survey['id']}/phases/pre/answers")
    headers = [auth_header("viewer", units[n % len(units)], sub=nip(n)) for n in range(count)]
    body = {"answers": {i.code: 4 for i in items}}
    local = threading.local()
    latencies: list[float] = []
    statuses: list[int] = []
    start = time.monotonic() + 0.5

    def send(n: int) -> None:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        session = local.session
        delay = start + n / RATE - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        began = time.monotonic()
        response = session.post(url, json=body, headers=headers[n], timeout=30)
        latencies.append((time.monotonic() - began) * 1000)
        statuses.append(response.status_code)

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(send, range(count)))
    elapsed = time.monotonic() - start
    latencies.sort()
    accepted = statuses.count(201)
    stored = repo.answers.count_documents({"survey_id": survey["id"]})
    p50, p99 = statistics.median(latencies), latencies[int(0.99 * (len(latencies) - 1))]
    return Row(f"survey answers at {RATE}/s for {SECONDS} s, each respondent's own token ({count:,} participants "
               "registered)",
               f"{accepted:,} of {count:,} accepted in {elapsed:.1f} s ({accepted / elapsed:.0f}/s, {stored:,} stored); "
               f"p50 {p50:.1f} ms, p99 {p99:.1f} ms", budget="200/s, p99 < 100 ms",
               passed=accepted == count == stored and accepted / elapsed >= RATE * 0.95 and p99 < 100)


def culture_rows(stack: Stack) -> list[Row]:
    repo = repository_of(stack, "reforms")
    regency, units = _regency(repo)
    return [results_row(stack, repo, regency, units), answers_row(stack, repo, regency, units)]
