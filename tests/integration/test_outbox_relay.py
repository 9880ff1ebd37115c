"""The outbox relay against real MongoDB and Kafka."""
from __future__ import annotations

import json

import pytest

from shared.contracts.agencies import AGENCY_REGISTERED
from shared.events.kafka import ensure_topics, make_producer
from shared.events.envelope import new_event
from shared.outbox import OutboxRelay, change_with_event
from services.agencies.adapters.documents import snapshot_of
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


@pytest.fixture
def aggregates(mongo_db):
    """A collection of its own per test: the relay publishes everything pending in a collection."""
    return mongo_db[unique("relay_aggregates")]


class Stored:
    def __init__(self, doc_id):
        self.id = doc_id


def new_agency_with_event(aggregates) -> Stored:
    """An agency document as registration writes it: state and its first event in one insert."""
    doc = {"_id": unique("agency"), "code": unique("OUTBOX"), "name": "Dinas Kominfo", "short_name": None,
           "type": "province", "parent_id": None, "path": [], "status": "active", "version": 1}
    event = AGENCY_REGISTERED.build(source="agencies", subject=doc["_id"], sequence=1,
                                    data={"agency": snapshot_of(doc)})
    aggregates.insert_one({**doc, "outbox": [event.to_dict()], "outbox_pending": True})
    return Stored(doc["_id"])


def rename(aggregates, agency: Stored, version: int, name: str) -> None:
    event = new_event(type="test.renamed.v1", source="agencies", subject=agency.id, sequence=version + 1,
                      data={"name": name})
    assert change_with_event(aggregates, agency.id, version, {"name": name}, event)


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


def relay_until_drained(relay: OutboxRelay, aggregates, ids: list[str]) -> None:
    for _ in range(20):
        relay.relay_once()
        if not aggregates.count_documents({"_id": {"$in": ids}, "outbox_pending": True}):
            return
    raise AssertionError("outbox was not drained")


def test_relay_publishes_in_order_then_clears_the_outbox(aggregates, producer, topic):
    first, second = new_agency_with_event(aggregates), new_agency_with_event(aggregates)
    rename(aggregates, first, 1, "renamed once")
    rename(aggregates, first, 2, "renamed twice")
    relay = OutboxRelay([aggregates], producer, topic)
    relay_until_drained(relay, aggregates, [first.id, second.id])

    assert sequences_by_subject(topic, {first.id, second.id}, 4) == {first.id: [1, 2, 3], second.id: [1]}
    for agency in (first, second):
        doc = aggregates.find_one({"_id": agency.id})
        assert doc["outbox"] == [] and doc["outbox_pending"] is False


def test_stale_version_writes_nothing(aggregates):
    agency = new_agency_with_event(aggregates)
    event = new_event(type="test.renamed.v1", source="agencies", subject=agency.id, sequence=5, data={})
    assert not change_with_event(aggregates, agency.id, 4, {"name": "lost"}, event)
    doc = aggregates.find_one({"_id": agency.id})
    assert doc["name"] == "Dinas Kominfo" and len(doc["outbox"]) == 1 and doc["version"] == 1


def test_unreachable_kafka_keeps_every_event(aggregates, agencies_settings, topic):
    agency = new_agency_with_event(aggregates)
    dead = make_producer(agencies_settings, bootstrap_servers=["127.0.0.1:1"], max_block_ms=500,
                         request_timeout_ms=500, delivery_timeout_ms=1000, api_version=(3, 0))
    relay = OutboxRelay([aggregates], dead, topic, send_timeout_s=2)
    with pytest.raises(Exception):
        relay.relay_once()
    dead.close(timeout=1)
    doc = aggregates.find_one({"_id": agency.id})
    assert len(doc["outbox"]) == 1 and doc["outbox_pending"] is True


def test_event_recorded_while_publishing_is_kept_for_the_next_pass(aggregates, producer, topic):
    agency = new_agency_with_event(aggregates)

    class RecordsDuringFlush:
        """A real producer; while its flush waits for the broker, the aggregate changes again."""

        def __init__(self, inner):
            self.inner, self.changed = inner, False

        def send(self, *args, **kwargs):
            return self.inner.send(*args, **kwargs)

        def flush(self, timeout=None):
            if not self.changed:
                self.changed = True
                rename(aggregates, agency, 1, "changed meanwhile")
            return self.inner.flush(timeout=timeout)

    relay = OutboxRelay([aggregates], RecordsDuringFlush(producer), topic)
    assert relay.relay_once() >= 1
    doc = aggregates.find_one({"_id": agency.id})
    assert [e["sequence"] for e in doc["outbox"]] == [2] and doc["outbox_pending"] is True
    relay_until_drained(relay, aggregates, [agency.id])
    assert sequences_by_subject(topic, {agency.id}, 2) == {agency.id: [1, 2]}


def test_a_large_backlog_is_relayed_without_starving_the_database(aggregates, producer, topic):
    """A backlog larger than one pass is drained completely, batch after batch."""
    agencies = [new_agency_with_event(aggregates) for _ in range(120)]
    relay = OutboxRelay([aggregates], producer, topic, batch_size=500)
    relay_until_drained(relay, aggregates, [a.id for a in agencies])
    assert aggregates.find_one({"_id": agencies[-1].id})["outbox"] == []
