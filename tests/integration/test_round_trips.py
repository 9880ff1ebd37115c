"""How many database round trips a write costs, counted from the commands the driver sends: the
aggregate store writes state, event and audit record in one command, so a write costs what it must and
no more (the relay moves event and audit record later, in batches)."""
from __future__ import annotations

import threading

import pytest
from pymongo import monitoring

from tests.conftest import auth_header
from tests.support.kafka_tools import unique


class Counter(monitoring.CommandListener):
    def __init__(self):
        self.on = threading.Event()
        self.commands: list[tuple[str, str]] = []

    def started(self, event):
        if self.on.is_set():
            collection = event.command.get(event.command_name)
            self.commands.append((event.command_name, collection if isinstance(collection, str) else ""))

    def succeeded(self, event):
        pass

    def failed(self, event):
        pass


COUNTER = Counter()
monitoring.register(COUNTER)


@pytest.fixture
def agencies_settings(settings_for):
    return settings_for("agencies", "rt_")  # a fresh client is created after the listener is registered


def counted(call):
    COUNTER.commands.clear()
    COUNTER.on.set()
    try:
        response = call()
    finally:
        COUNTER.on.clear()
    return response, list(COUNTER.commands)


def test_round_trips_of_each_write(client):
    root, commands = counted(lambda: client.post("/api/v1/agencies", json={
        "code": unique("P"), "name": "Provinsi Jambi", "type": "province"}))
    assert root.status_code == 201
    assert commands == [("insert", "agencies")]

    child, commands = counted(lambda: client.post("/api/v1/agencies", json={
        "code": unique("R"), "name": "Kabupaten", "type": "regency", "parent_id": root.get_json()["id"]}))
    assert child.status_code == 201
    # the placement marker into the parent (which returns it), the insert, and the marker out (which returns the
    # parent again: did it move meanwhile?)
    assert commands == [("findAndModify", "agencies"), ("insert", "agencies"), ("findAndModify", "agencies")]

    url = f"/api/v1/agencies/{child.get_json()['id']}"
    patched, commands = counted(lambda: client.patch(url, json={"name": "Kabupaten Tanjab Barat"},
                                                     headers={"If-Match": '"1"'}))
    assert patched.status_code == 200
    assert commands == [("find", "agencies"), ("findAndModify", "agencies")]

    operator = auth_header("operator", root.get_json()["id"])
    patched, commands = counted(lambda: client.patch(url, json={"name": "Kabupaten TJB"},
                                                     headers={**operator, "If-Match": '"2"'}))
    assert patched.status_code == 200
    # a scoped token first looks its agency up (is it known and active?)
    assert commands == [("find", "agencies"), ("find", "agencies"), ("findAndModify", "agencies")]


def test_a_read_costs_one_round_trip_for_an_admin(client):
    created = client.post("/api/v1/agencies", json={"code": unique("P"), "name": "Provinsi", "type": "province"})
    response, commands = counted(lambda: client.get(f"/api/v1/agencies/{created.get_json()['id']}"))
    assert response.status_code == 200 and commands == [("find", "agencies")]


# --- the indicators service: its commands, and the scorer's work for one event ---------------------

from collections import Counter  # noqa: E402

from shared.events.envelope import Event  # noqa: E402
from tests.integration.indicators_support import (api, define, indicators_app, indicators_settings,  # noqa: E402,F401
                                                  registry, repo, run_worker, tree)
from tests.support.pump import deliver  # noqa: E402


def taken(collection) -> list[Event]:
    """The events waiting in a collection's outboxes, taken out (what the relay does)."""
    events = [Event.from_dict(entry["event"]) for doc in collection.find({"outbox.0": {"$exists": True}}, {"outbox": 1})
              for entry in doc["outbox"]]
    collection.update_many({}, {"$set": {"outbox": []}, "$unset": {"outbox_due": ""}})
    return sorted(events, key=lambda e: e.time)


def test_round_trips_of_the_indicators_commands_and_of_scoring_one_verification(api, tree, repo, registry, run_worker):
    operator = auth_header("operator", tree["bidang_sd"], sub="operator@unit")
    evaluator = auth_header("evaluator", tree["tanjabbar"], sub="evaluator@inspektorat")
    indicator = define(api, tree["bidang_sd"], frequency="monthly")
    base = f"/api/v1/indicators/{indicator['id']}"
    # the token's agency (is it known and active?), the indicator, its agency, a signed agreement freezing it,
    # the locks, the write
    response, commands = counted(lambda: api.put(f"{base}/targets/202503", json={"value": 10}, headers=operator))
    assert response.status_code == 200 and Counter(commands) == Counter({
        ("find", "agency_replica"): 2, ("find", "indicators"): 1, ("find", "performance_agreements"): 1,
        ("find", "period_locks"): 1, ("findAndModify", "indicators"): 1}), commands
    for period in ("2025Q1", "2025"):  # the monthly average's quarter and year have targets of their own
        assert api.put(f"{base}/targets/{period}", json={"value": 10}, headers=operator).status_code == 200
    # the token's agency, the indicator and its agency, the realisation, the locks, the write: as before
    response, commands = counted(lambda: api.put(f"{base}/realisations/202503", json={"value": 9}, headers=operator))
    assert response.status_code == 200 and Counter(commands) == Counter({
        ("find", "agency_replica"): 2, ("find", "indicators"): 1, ("find", "realisations"): 1,
        ("find", "period_locks"): 1, ("insert", "realisations"): 1}), commands
    for step in ("submit", "verify"):
        response, commands = counted(lambda: api.post(f"{base}/realisations/202503/{step}",
                                                      headers=operator if step == "submit" else evaluator))
        assert response.status_code == 200 and len(commands) == 6, (step, commands)
    run_worker()  # every card of the three periods exists, at every level
    api.post(f"{base}/realisations/202503/reopen", json={"reason": "angka direvisi"}, headers=evaluator)
    api.put(f"{base}/realisations/202503", json={"value": 8}, headers=operator)
    api.post(f"{base}/realisations/202503/submit", headers=operator)
    run_worker()
    api.post(f"{base}/realisations/202503/verify", headers=evaluator)
    [verified] = taken(repo.realisations.collection)
    _, commands = counted(lambda: deliver(registry, [verified]))
    # One flush, four levels (bidang_sd, pendidikan, tanjabbar, jambi) × three periods (202503, 2025Q1, 2025): the
    # rule packs once, the agencies and their ancestors (two queries), then per level its cards and children; for
    # the unit its indicators, realisations (this year's and last year's), the plan covering the year and the
    # agreement in force (it has no children); for the three levels above, whose own part is kept, the
    # children's cards and weights; and each level's three cards written in one bulk; and one query for the cards
    # of a year later, which compare with these periods (none here). (Before: 84 round trips for three levels,
    # one Kafka round trip per level.)
    assert Counter(commands) == Counter({
        ("find", "rulepacks"): 1, ("find", "agency_replica"): 2 + 4, ("find", "scorecards"): 1 + 4 + 3,
        ("find", "indicators"): 1, ("find", "realisations"): 1, ("find", "plans"): 1,
        ("find", "performance_agreements"): 1, ("find", "agency_weights"): 3, ("update", "scorecards"): 4}), commands
    changed = taken(repo.scorecards.collection)
    assert len(changed) == 12
    _, commands = counted(lambda: deliver(registry, changed))  # they come back: nothing to compute
    assert commands == [("find", "agency_replica"), ("find", "scorecards")], commands
