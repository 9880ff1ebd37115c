"""The processed-event ledger on real MongoDB: a counter fed by events stays exact under redelivery and
under a crash between the effect and the offset commit."""
from __future__ import annotations

import pytest

from shared.db import collection, database, prepare
from shared.events.envelope import new_event
from shared.store.ledger import Ledger, ProcessedEvent
from tests.support.kafka_tools import unique

LEDGER: dict[str, Ledger] = {}


@pytest.fixture
def counts(settings_for):
    db = prepare(database(settings_for("indicators", "ledger_")), [ProcessedEvent])
    LEDGER["ledger"] = Ledger(collection(db, ProcessedEvent))
    return db[unique("completed_counts")]


def apply_once(*args):
    return LEDGER["ledger"].apply_once(*args)


def record_fact(*args):
    return LEDGER["ledger"].record(*args)


def completed(activity_id: str):
    return new_event(type="kinerja.activity.completed.v1", source="reforms", subject=activity_id, sequence=3,
                     data={"activity_id": activity_id})


def derive_into(counts, key):
    def derive(facts):
        counts.update_one({"_id": key}, {"$set": {"completed": len(facts),
                                                  "activities": sorted(f["activity_id"] for f in facts)}}, upsert=True)
    return derive


def test_a_redelivered_event_counts_once(counts):
    indicator, consumer = unique("indicator"), unique("consumer")
    event = completed("act-1")
    assert apply_once(consumer, event, indicator, {"activity_id": "act-1"}, derive_into(counts, indicator)) is True
    assert apply_once(consumer, event, indicator, {"activity_id": "act-1"}, derive_into(counts, indicator)) is False
    apply_once(consumer, completed("act-2"), indicator, {"activity_id": "act-2"}, derive_into(counts, indicator))
    assert counts.find_one({"_id": indicator}) == {"_id": indicator, "completed": 2, "activities": ["act-1", "act-2"]}


def test_a_crash_between_the_fact_and_the_derived_state_is_repaired_by_the_redelivery(counts):
    indicator, consumer = unique("indicator"), unique("consumer")
    event = completed("act-1")
    record_fact(consumer, event, indicator, {"activity_id": "act-1"})  # ... and the process dies here
    assert counts.find_one({"_id": indicator}) is None
    # Kafka redelivers (the offset was never committed): nothing is recorded twice, the state is derived.
    assert apply_once(consumer, event, indicator, {"activity_id": "act-1"}, derive_into(counts, indicator)) is False
    assert counts.find_one({"_id": indicator})["completed"] == 1


def test_a_crash_after_the_derived_state_before_the_commit_changes_nothing(counts):
    indicator, consumer = unique("indicator"), unique("consumer")
    event = completed("act-1")
    apply_once(consumer, event, indicator, {"activity_id": "act-1"}, derive_into(counts, indicator))
    apply_once(consumer, event, indicator, {"activity_id": "act-1"}, derive_into(counts, indicator))  # redelivered
    assert counts.find_one({"_id": indicator})["completed"] == 1


def test_consumers_keep_separate_ledgers(counts):
    indicator = unique("indicator")
    event = completed("act-1")
    assert record_fact("indicators", event, indicator, {"activity_id": "act-1"}) is True
    assert record_fact("dashboards", event, indicator, {"activity_id": "act-1"}) is True
    assert LEDGER["ledger"].collection.count_documents({"event_id": event.id}) == 2
