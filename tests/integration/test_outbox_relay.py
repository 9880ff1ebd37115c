"""The outbox relay against real MongoDB and Kafka."""
from __future__ import annotations

import json

import pytest

from shared.contracts.agencies import AGENCY_REGISTERED
from shared.events.kafka import ensure_topics, make_producer
from shared.events.envelope import new_event
from shared.outbox import OutboxRelay, change_with_event
from services.agencies.adapters.documents import Agency, snapshot_of
from tests.support.kafka_tools import read_topic, unique


@pytest.fixture
def topic(agencies_settings):
    name = agencies_settings.topic(unique("relay-test"))
    ensure_topics(agencies_settings, [name])
    return name


@pytest.fixture
def producer(agencies_settings):
    producer = make_producer(agencies_settings)
    yield producer
    producer.close()


def new_agency_with_event(mongo_db) -> Agency:
    """An agency document as registration writes it: state and its first event in one insert."""
    agency = Agency(code=unique("OUTBOX"), name="Dinas Kominfo", type="province", version=1, outbox_pending=True)
    snapshot = snapshot_of({**agency.to_mongo().to_dict(), "_id": agency.id})
    agency.outbox = [AGENCY_REGISTERED.build(source="agencies", subject=agency.id, sequence=1,
                                             data={"agency": snapshot}).to_dict()]
    agency.save(force_insert=True)
    return agency


def rename(agency: Agency, version: int, name: str) -> None:
    event = new_event(type="test.renamed.v1", source="agencies", subject=agency.id, sequence=version + 1,
                      data={"name": name})
    assert change_with_event(Agency._get_collection(), agency.id, version, {"name": name}, event)


def sequences_by_subject(topic: str, subjects: set[str], expected: int) -> dict[str, list[int]]:
    """The relay publishes every pending event of the collection (other tests' too): keep ours."""
    found: dict[str, list[int]] = {}
    for _ in range(10):
        found = {}
        for message in read_topic(topic, min_count=expected):
            event = json.loads(message.value)
            assert message.key.decode() == event["subject"]
            if event["subject"] in subjects:
                found.setdefault(event["subject"], []).append(event["sequence"])
        if sum(map(len, found.values())) >= expected:
            break
    return found


def relay_until_drained(relay: OutboxRelay, ids: list[str]) -> None:
    for _ in range(20):
        relay.relay_once()
        if not Agency._get_collection().count_documents({"_id": {"$in": ids}, "outbox_pending": True}):
            return
    raise AssertionError("outbox was not drained")


def test_relay_publishes_in_order_then_clears_the_outbox(mongo_db, producer, topic):
    first, second = new_agency_with_event(mongo_db), new_agency_with_event(mongo_db)
    rename(first, 1, "renamed once")
    rename(first, 2, "renamed twice")
    relay = OutboxRelay([Agency._get_collection()], producer, topic)
    relay_until_drained(relay, [first.id, second.id])

    assert sequences_by_subject(topic, {first.id, second.id}, 4) == {first.id: [1, 2, 3], second.id: [1]}
    for agency in (first, second):
        doc = Agency._get_collection().find_one({"_id": agency.id})
        assert doc["outbox"] == [] and doc["outbox_pending"] is False


def test_stale_version_writes_nothing(mongo_db):
    agency = new_agency_with_event(mongo_db)
    event = new_event(type="test.renamed.v1", source="agencies", subject=agency.id, sequence=5, data={})
    assert not change_with_event(Agency._get_collection(), agency.id, 4, {"name": "lost"}, event)
    doc = Agency._get_collection().find_one({"_id": agency.id})
    assert doc["name"] == "Dinas Kominfo" and len(doc["outbox"]) == 1 and doc["version"] == 1


def test_unreachable_kafka_keeps_every_event(mongo_db, agencies_settings, topic):
    agency = new_agency_with_event(mongo_db)
    dead = make_producer(agencies_settings, bootstrap_servers=["127.0.0.1:1"], max_block_ms=500,
                         request_timeout_ms=500, delivery_timeout_ms=1000, api_version=(3, 0))
    relay = OutboxRelay([Agency._get_collection()], dead, topic, send_timeout_s=2)
    with pytest.raises(Exception):
        relay.relay_once()
    dead.close(timeout=1)
    doc = Agency._get_collection().find_one({"_id": agency.id})
    assert len(doc["outbox"]) == 1 and doc["outbox_pending"] is True


def test_event_recorded_while_publishing_is_kept_for_the_next_pass(mongo_db, producer, topic):
    agency = new_agency_with_event(mongo_db)

    class RecordsDuringFlush:
        """A real producer; while its flush waits for the broker, the aggregate changes again."""

        def __init__(self, inner):
            self.inner, self.changed = inner, False

        def send(self, *args, **kwargs):
            return self.inner.send(*args, **kwargs)

        def flush(self, timeout=None):
            if not self.changed:
                self.changed = True
                rename(agency, 1, "changed meanwhile")
            return self.inner.flush(timeout=timeout)

    relay = OutboxRelay([Agency._get_collection()], RecordsDuringFlush(producer), topic)
    assert relay.relay_once() >= 1
    doc = Agency._get_collection().find_one({"_id": agency.id})
    assert [e["sequence"] for e in doc["outbox"]] == [2] and doc["outbox_pending"] is True
    relay_until_drained(relay, [agency.id])
    assert sequences_by_subject(topic, {agency.id}, 2) == {agency.id: [1, 2]}


def test_a_large_backlog_is_relayed_in_one_pass_without_starving_the_database(mongo_db, producer, topic):
    """FerretDB deadlocks on one update command with too many statements; the relay splits them."""
    agencies = [new_agency_with_event(mongo_db) for _ in range(120)]
    relay = OutboxRelay([Agency._get_collection()], producer, topic, batch_size=500)
    relay_until_drained(relay, [a.id for a in agencies])
    assert Agency._get_collection().find_one({"_id": agencies[-1].id})["outbox"] == []
