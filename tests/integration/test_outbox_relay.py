"""The aggregate store and the outbox relay against real MongoDB and Kafka: exactly which events arrive,
in which order, what happens to one the broker refuses, and what a full outbox does to writes."""
from __future__ import annotations

import json

import pytest

from shared.contracts.agencies import AGENCY_REGISTERED, AGENCY_UPDATED
from shared.errors import Conflict, NotFound, StaleVersion, Unavailable
from shared.events.kafka import ensure_topics, make_producer
from shared.auth.tokens import Principal
from shared.commands import CommandContext
from shared.store.aggregates import AggregateStore
from shared.store.outbox import failed_events, retry_failed
from shared.store.relay import OutboxRelay, RelayPolicy
from services.agencies.domain.agency import AGENCY
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
    """A collection of its own per test (the relay publishes everything due in its collections), with
    the index the relay's query uses."""
    collection = mongo_db[unique("relay_aggregates")]
    collection.create_index("outbox_due", sparse=True)
    collection.create_index("code", unique=True)
    return collection


CTX = CommandContext(Principal("relay-tester", "admin", "*"))


@pytest.fixture
def store(aggregates):
    return AggregateStore(aggregates, AGENCY, source="agencies", max_pending=5)


def register(store: AggregateStore) -> dict:
    state = {"id": unique("agency"), "code": unique("OUTBOX"), "name": "Dinas Kominfo", "short_name": None,
             "type": "province", "parent_id": None, "path": [], "status": "active"}
    return store.create(CTX.created(AGENCY, state, AGENCY_REGISTERED, action="register", audited=False))


def renamed(agency: dict, name: str):
    return CTX.changed(AGENCY, agency, {"name": name}, AGENCY_UPDATED, action="update", extra={"changed": ["name"]},
                       audited=False)


def rename(store: AggregateStore, agency: dict, name: str) -> dict:
    return store.apply(agency["id"], agency["version"], renamed(agency, name))


def published(topic: str, subjects: set[str], expected: int) -> dict[str, list[tuple[int, str]]]:
    """(sequence, event id) per subject, in topic order, of the events of `subjects` on `topic`."""
    found: dict[str, list[tuple[int, str]]] = {}
    for message in read_topic(topic, min_count=expected):
        event = json.loads(message.value)
        assert message.key.decode() == event["subject"]
        assert dict(message.headers) == {"content-type": b"application/cloudevents+json"}
        if event["subject"] in subjects:
            found.setdefault(event["subject"], []).append((event["sequence"], event["id"]))
    return found


def pending_ids(aggregates, agency_id) -> list[str]:
    return [entry["id"] for entry in aggregates.find_one({"_id": agency_id})["outbox"]]


def drain(relay: OutboxRelay, aggregates, ids: list[str], passes: int = 20) -> None:
    for _ in range(passes):
        relay.relay_once()
        if not aggregates.count_documents({"_id": {"$in": ids}, "outbox.0": {"$exists": True}}):
            return
    raise AssertionError("outbox was not drained")


def test_relay_publishes_exactly_the_pending_events_in_order_then_clears_them(aggregates, store, producer, topic):
    first, second = register(store), register(store)
    first = rename(store, first, "renamed once")
    first = rename(store, first, "renamed twice")
    expected = {first["id"]: pending_ids(aggregates, first["id"]), second["id"]: pending_ids(aggregates, second["id"])}
    drain(OutboxRelay([aggregates], producer, topic), aggregates, list(expected))

    arrived = published(topic, set(expected), 4)
    assert {subject: [event_id for _, event_id in events] for subject, events in arrived.items()} == expected
    assert [sequence for sequence, _ in arrived[first["id"]]] == [1, 2, 3]
    for agency_id in expected:
        doc = aggregates.find_one({"_id": agency_id})
        assert doc["outbox"] == [] and "outbox_due" not in doc


def test_a_stale_version_writes_nothing(aggregates, store):
    agency = register(store)
    with pytest.raises(StaleVersion):
        store.apply(agency["id"], 4, CTX.changed(AGENCY, agency, {"name": "lost"}, None, action="update"))
    with pytest.raises(NotFound):
        store.apply("nobody", 1, CTX.changed(AGENCY, agency, {"name": "lost"}, None, action="update"))
    doc = aggregates.find_one({"_id": agency["id"]})
    assert doc["name"] == "Dinas Kominfo" and len(doc["outbox"]) == 1 and doc["version"] == 1


def test_a_duplicate_unique_value_is_a_conflict(store):
    agency = register(store)
    state = {"id": unique("agency"), "code": agency["code"], "name": "x", "type": "province", "parent_id": None,
             "path": [], "status": "active"}
    with pytest.raises(Conflict) as refused:
        store.create(CTX.created(AGENCY, state, None, action="register", audited=False))
    assert refused.value.kind == "duplicate" and agency["code"] in refused.value.detail


def test_an_unreachable_broker_keeps_every_event_and_marks_none_failed(aggregates, store, agencies_settings, topic):
    agency = register(store)
    dead = make_producer(agencies_settings, bootstrap_servers=["127.0.0.1:1"], max_block_ms=300,
                         request_timeout_ms=300, delivery_timeout_ms=600, api_version=(3, 0))
    relay = OutboxRelay([aggregates], dead, topic, send_timeout_s=1, policy=RelayPolicy(max_attempts=1))
    assert relay.relay_once() == 0
    dead.close(timeout=1)
    doc = aggregates.find_one({"_id": agency["id"]})
    assert len(doc["outbox"]) == 1 and doc["outbox"][0]["attempts"] == 0 and "outbox_failed" not in doc
    assert doc["outbox"][0]["error"]  # what went wrong is kept with the event
    assert doc["outbox_due"] is not None  # still due: it goes out once the broker is back


class ChangesDuringFlush:
    """A real producer; while its first flush waits for the broker, `change` writes the aggregate again."""

    def __init__(self, inner, change):
        self.inner, self.change = inner, change

    def send(self, *args, **kwargs):
        return self.inner.send(*args, **kwargs)

    def flush(self, timeout=None):
        change, self.change = self.change, None
        if change:
            change()
        return self.inner.flush(timeout=timeout)


def test_an_event_recorded_while_publishing_is_kept_for_the_next_pass(aggregates, store, producer, topic):
    agency = register(store)
    relay = OutboxRelay([aggregates], ChangesDuringFlush(producer, lambda: rename(store, agency, "changed meanwhile")),
                        topic)
    first_event = pending_ids(aggregates, agency["id"])
    assert relay.relay_once() == 1
    second_event = pending_ids(aggregates, agency["id"])
    assert len(second_event) == 1 and second_event != first_event
    assert aggregates.find_one({"_id": agency["id"]})["outbox_due"] is not None
    drain(relay, aggregates, [agency["id"]])
    assert published(topic, {agency["id"]}, 2) == {agency["id"]: [(1, first_event[0]), (2, second_event[0])]}


def test_an_audit_record_written_while_publishing_keeps_the_document_due(aggregates, store, producer, topic):
    """A change with an audit record and no event (a reform count kept pending under a lock) lands while the
    relay publishes the document's event: the document stays due, so the record still reaches the trail."""
    agency = register(store)

    def audited_without_event():
        current = store.get(agency["id"])
        store.apply(agency["id"], current["version"], CTX.changed(AGENCY, current, {"short_name": "x"}, None,
                                                                  action="update"))

    relay = OutboxRelay([aggregates], ChangesDuringFlush(producer, audited_without_event), topic)
    assert relay.relay_once() == 1
    doc = aggregates.find_one({"_id": agency["id"]})
    assert doc["outbox"] == [] and len(doc["audit_pending"]) == 1 and doc["outbox_due"] is not None
    moved = []
    OutboxRelay([aggregates], producer, topic, before_publish=lambda docs: moved.extend(
        r["_id"] for d in docs for r in d.get("audit_pending") or ())).relay_once()
    assert moved == [doc["audit_pending"][0]["_id"]]
    assert "outbox_due" not in aggregates.find_one({"_id": agency["id"]})


class RefusesOneAggregate:
    """A real producer that refuses, like a broker refusing an oversized record, every event of one
    aggregate (not a transient error: it counts attempts)."""

    def __init__(self, inner, refused_subject: str):
        self.inner, self.refused_subject = inner, refused_subject

    def send(self, topic, key, value, headers):
        if key == self.refused_subject.encode():  # the relay sends the record's bytes (kafka_record)
            from kafka.errors import MessageSizeTooLargeError
            raise MessageSizeTooLargeError("the message is 2000000 bytes when serialized")
        return self.inner.send(topic, key=key, value=value, headers=headers)

    def flush(self, timeout=None):
        return self.inner.flush(timeout=timeout)


def test_a_refused_event_fails_alone_holds_back_only_its_own_aggregate_and_can_be_retried(
        aggregates, store, producer, topic):
    stuck, other = register(store), register(store)
    stuck = rename(store, stuck, "behind the refused one")
    stuck_events = pending_ids(aggregates, stuck["id"])
    relay = OutboxRelay([aggregates], RefusesOneAggregate(producer, stuck["id"]), topic,
                        policy=RelayPolicy(max_attempts=3, backoff_s=0, max_backoff_s=0))
    for _ in range(5):
        relay.relay_once()

    # The other aggregate's event went out; the refused one is marked failed with its error, after
    # exactly max_attempts sends, and the one behind it waits, unsent.
    arrived = published(topic, {other["id"], stuck["id"]}, 1)
    assert set(arrived) == {other["id"]}
    doc = aggregates.find_one({"_id": stuck["id"]})
    assert [e["id"] for e in doc["outbox"]] == stuck_events
    assert doc["outbox"][0]["attempts"] == 3 and "MessageSizeTooLargeError" in doc["outbox"][0]["error"]
    assert doc["outbox_failed"] is True and doc["outbox_due"] is None
    [failed] = failed_events(aggregates)
    assert (failed["aggregate_id"], failed["event_id"], failed["attempts"]) == (stuck["id"], stuck_events[0], 3)

    # New writes to the blocked aggregate do not unblock it; a retry after the fix does.
    stuck = rename(store, stuck, "one more")
    assert aggregates.find_one({"_id": stuck["id"]})["outbox_due"] is None
    assert retry_failed(aggregates, [stuck["id"]]) == 1
    all_three = pending_ids(aggregates, stuck["id"])
    drain(OutboxRelay([aggregates], producer, topic), aggregates, [stuck["id"]])
    assert [event_id for _, event_id in published(topic, {stuck["id"]}, 4)[stuck["id"]]] == all_three
    assert failed_events(aggregates) == []


def test_a_truly_oversized_event_is_refused_by_kafka_and_fails_alone(aggregates, store, producer, topic):
    big = register(store)
    small = register(store)
    # over the producer's and the broker's 1 MB limit
    store.apply(big["id"], 1, renamed(big, "x" * 1_200_000))
    relay = OutboxRelay([aggregates], producer, topic, policy=RelayPolicy(max_attempts=2, backoff_s=0))
    for _ in range(4):
        relay.relay_once()
    assert set(published(topic, {big["id"], small["id"]}, 2)) == {big["id"], small["id"]}  # big's first event went
    doc = aggregates.find_one({"_id": big["id"]})
    assert len(doc["outbox"]) == 1 and doc["outbox_failed"] is True
    assert "MessageSizeTooLarge" in doc["outbox"][0]["error"]


def test_a_full_outbox_refuses_writes_with_unavailable_instead_of_growing(aggregates, store):
    agency = register(store)
    for index in range(4):
        agency = rename(store, agency, f"name {index}")
    assert len(aggregates.find_one({"_id": agency["id"]})["outbox"]) == 5
    with pytest.raises(Unavailable) as refused:
        rename(store, agency, "one too many")
    assert refused.value.retry_after_s > 0
    doc = aggregates.find_one({"_id": agency["id"]})
    assert len(doc["outbox"]) == 5 and doc["version"] == 5 and doc["name"] == "name 3"


def test_documents_are_relayed_in_the_order_they_became_due(aggregates, store, producer, topic):
    agencies = [register(store) for _ in range(6)]
    relay = OutboxRelay([aggregates], producer, topic, batch_size=2)
    relay.relay_once()
    remaining = {d["_id"] for d in aggregates.find({"outbox.0": {"$exists": True}})}
    assert remaining == {a["id"] for a in agencies[2:]}


def test_a_large_backlog_is_drained_batch_after_batch(aggregates, store, producer, topic):
    agencies = [register(store) for _ in range(120)]
    drain(OutboxRelay([aggregates], producer, topic, batch_size=50), aggregates, [a["id"] for a in agencies])
    arrived = published(topic, {a["id"] for a in agencies}, 120)
    assert {subject: len(events) for subject, events in arrived.items()} == {a["id"]: 1 for a in agencies}
