"""The consumer runner against real Kafka and MongoDB: dead letters, unknown types, retries, commits."""
from __future__ import annotations

import json

import pytest
from kafka import KafkaConsumer, TopicPartition

from shared.contracts.agencies import AGENCY_REGISTERED
from pymongo.errors import AutoReconnect

from shared.events.consumer import ConsumerRunner, kafka_dead_letter
from shared.events.handlers import HandlerRegistry
from shared.events.processing import DeadLetterGuard, DeadLetterStorm, MessageProcessor
from shared.events.envelope import new_event
from shared.events.kafka import ensure_topics, make_producer
from shared.db import collection, database, prepare
from shared.replicas.agencies import AgencyReplica, agency_replica
from tests.support.kafka_tools import BOOTSTRAP, produce_raw, read_topic, unique
from tests.support.wait import wait_for


def registered(agency_id: str, code: str) -> bytes:
    snapshot = {"id": agency_id, "code": code, "name": "Dinas Pendidikan", "short_name": None, "type": "work_unit",
                "parent_id": "regency-1", "path": ["province-1", "regency-1"], "status": "active"}
    return AGENCY_REGISTERED.build(source="agencies", subject=agency_id, sequence=1, data={"agency": snapshot}).to_json()


@pytest.fixture
def topics(settings_for):
    settings = settings_for("indicators", "it_")
    source, dlt = settings.topic(unique("source")), settings.topic(unique("dlt"))
    ensure_topics(settings, [source, dlt])
    return settings, source, dlt


def run_until(runner: ConsumerRunner, consumer, done, timeout=20.0):
    wait_for(lambda: runner.poll_once(consumer) is not None and done(), timeout=timeout, message="consumer progress")


def consume_until(topics, registry, done, group=None, timeout=20.0, runner_options=None, **processor_options):
    """Run a real consumer (with a real dead-letter producer) on the source topic until `done()`."""
    settings, source, dlt = topics
    producer = make_producer(settings)
    processor = MessageProcessor(registry, kafka_dead_letter(producer, dlt, "indicators"), **processor_options)
    runner = ConsumerRunner(bootstrap_servers=settings.kafka_servers, group_id=group or unique(f"{settings.namespace}g"),
                            topics=[source], processor=processor, **(runner_options or {}))
    consumer = runner._connect()
    try:
        run_until(runner, consumer, done, timeout=timeout)
    finally:
        consumer.close(autocommit=False)
        producer.close()
    return runner


def committed_offset(group: str, topic: str) -> int:
    consumer = KafkaConsumer(bootstrap_servers=BOOTSTRAP, group_id=group, enable_auto_commit=False)
    try:
        partitions = consumer.partitions_for_topic(topic)
        return sum(consumer.committed(TopicPartition(topic, p)) or 0 for p in partitions)
    finally:
        consumer.close(autocommit=False)


def test_bad_messages_go_to_the_dead_letter_topic_and_the_consumer_moves_on(topics):
    settings, source, dlt = topics
    replica = collection(prepare(database(settings), [AgencyReplica]), AgencyReplica)
    good_id = unique("agency")
    unknown = new_event(type="kinerja.something.new.v9", source="agencies", subject="x", sequence=1, data={}).to_json()
    broken_contract = new_event(type=AGENCY_REGISTERED.type, source="agencies", subject="y", sequence=1,
                                data={"agency": {"id": "y"}}).to_json()
    # One key: one partition, so the order below is the order of consumption.
    produce_raw(source, [("k", b"\x00not json"), ("k", b'{"specversion": "1.0"}'), ("k", unknown),
                         ("k", broken_contract), ("k", registered(good_id, unique("OPD")))])

    registry = HandlerRegistry()
    agency_replica(replica).register(registry)
    group = unique(f"{settings.namespace}group")
    consume_until(topics, registry, lambda: replica.find_one({"_id": good_id}) is not None, group=group)

    dead = read_topic(dlt, min_count=3)
    reasons = [dict(m.headers)["dlt_reason"].decode() for m in dead]
    assert reasons == ["unparseable", "unparseable", "contract_violation"]
    assert dead[0].value == b"\x00not json"  # the original bytes, untouched
    assert dict(dead[2].headers)["dlt_original_topic"].decode() == source
    assert committed_offset(group, source) == 5  # every message, the skipped unknown one too


def test_failing_handler_is_retried_then_dead_lettered(topics):
    settings, source, dlt = topics
    calls = []

    def always_fails(event, data):
        calls.append(event.id)
        raise RuntimeError("projection bug")

    registry = HandlerRegistry()
    registry.on(AGENCY_REGISTERED, always_fails)
    produce_raw(source, [("k", registered(unique("agency"), unique("OPD")))])
    consume_until(topics, registry, lambda: len(calls) == 3, max_retries=2, backoff_s=0.01)
    [dead] = read_topic(dlt, min_count=1)
    headers = dict(dead.headers)
    assert headers["dlt_reason"] == b"handler_failed"
    assert b"projection bug" in headers["dlt_error"]


def test_handler_that_recovers_on_retry_is_not_dead_lettered(topics):
    settings, source, dlt = topics
    attempts = []

    def flaky(event, data):
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("transient")

    registry = HandlerRegistry()
    registry.on(AGENCY_REGISTERED, flaky)
    produce_raw(source, [("k", registered(unique("agency"), unique("OPD")))])
    consume_until(topics, registry, lambda: len(attempts) == 2, max_retries=3, backoff_s=0.01)
    assert read_topic(dlt, min_count=0, timeout=2) == []


def test_correlation_id_travels_with_the_event(topics):
    settings, source, dlt = topics
    seen = []
    from shared.logging import get_correlation_id, reset_correlation_id, set_correlation_id

    token = set_correlation_id("req-42")
    try:
        payload = registered(unique("agency"), unique("OPD"))
    finally:
        reset_correlation_id(token)
    assert json.loads(payload)["correlationid"] == "req-42"
    registry = HandlerRegistry()
    registry.on(AGENCY_REGISTERED, lambda event, data: seen.append(get_correlation_id()))
    produce_raw(source, [("k", payload)])
    consume_until(topics, registry, lambda: seen)
    assert seen == ["req-42"]
    assert get_correlation_id() is None


def test_retries_longer_than_the_poll_interval_keep_the_partition_and_handle_once(topics):
    """Backing off 4 x 1 s with max_poll_interval_ms = 2 s: the loop keeps polling (the partition is
    paused, not slept on), so the consumer keeps its partitions and the message is handled exactly once."""
    settings, source, dlt = topics
    calls = []

    def flaky(event, data):
        calls.append(event.id)
        if len(calls) <= 4:
            raise RuntimeError("not yet")

    registry = HandlerRegistry()
    registry.on(AGENCY_REGISTERED, flaky)
    producer = make_producer(settings)
    processor = MessageProcessor(registry, kafka_dead_letter(producer, dlt, "indicators"), max_retries=10,
                                 backoff_s=1.0, max_backoff_s=1.0)
    revocations = []
    runner = ConsumerRunner(bootstrap_servers=settings.kafka_servers, group_id=unique(f"{settings.namespace}g"),
                            topics=[source], processor=processor, max_poll_interval_ms=2000,
                            on_revoke=revocations.append)
    consumer = runner._connect()
    try:
        # Settle the group first (a fresh member may rebalance once right after joining).
        settled = []
        wait_for(lambda: runner.poll_once(consumer) is not None and consumer.assignment() and
                 (settled.append(1) or len(settled) > 15), timeout=30, message="a settled assignment")
        revocations.clear()
        payload = registered(unique("agency"), unique("OPD"))
        produce_raw(source, [("k", payload)])
        run_until(runner, consumer, lambda: len(calls) == 5, timeout=40)
        during_retries = list(revocations)  # close() below leaves the group, which revokes too
    finally:
        consumer.close(autocommit=False)
        producer.close()
    assert calls == [json.loads(payload)["id"]] * 5
    assert during_retries == [] and runner.attempts == {} and runner.resume_at == {}
    assert read_topic(dlt, min_count=0, timeout=1) == []


def test_an_outage_in_the_handler_is_retried_past_max_retries_and_never_dead_lettered(topics):
    settings, source, dlt = topics
    calls = []

    def database_down_three_times(event, data):
        calls.append(1)
        if len(calls) <= 3:
            raise AutoReconnect("connection reset")

    registry = HandlerRegistry()
    registry.on(AGENCY_REGISTERED, database_down_three_times)
    produce_raw(source, [("k", registered(unique("agency"), unique("OPD")))])
    consume_until(topics, registry, lambda: len(calls) == 4, max_retries=0, backoff_s=0.01)
    assert read_topic(dlt, min_count=0, timeout=1) == []


def test_a_consumer_that_dead_letters_too_much_stops_and_says_why(topics):
    settings, source, dlt = topics
    produce_raw(source, [("k", b"garbage %d" % i) for i in range(12)])
    registry = HandlerRegistry()
    agency_replica(None).register(registry)  # every message is garbage: nothing reaches the replica
    producer = make_producer(settings)
    processor = MessageProcessor(registry, kafka_dead_letter(producer, dlt, "indicators"),
                                 guard=DeadLetterGuard(max_share=0.5, window=10, min_messages=10))
    runner = ConsumerRunner(bootstrap_servers=settings.kafka_servers, group_id=unique(f"{settings.namespace}g"),
                            topics=[source], processor=processor)
    try:
        with pytest.raises(DeadLetterStorm, match="of the last 10 messages were dead-lettered"):
            runner.run(should_stop=lambda: False)
    finally:
        producer.close()
    assert len(read_topic(dlt, min_count=10)) == 10
