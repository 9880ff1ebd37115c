"""Kafka plumbing used by every worker: the producer settings and topic creation."""
from __future__ import annotations

import json
import logging
import socket
import time
from typing import Any, Iterable

from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError
from kafka.serializer import Serializer

from shared.settings import Settings

log = logging.getLogger(__name__)


class _KeySerializer(Serializer):
    def serialize(self, topic, headers, data):
        return data.encode() if isinstance(data, str) else data


class _JsonValueSerializer(Serializer):
    """Dicts become compact UTF-8 JSON; bytes (dead letters) pass through untouched."""

    def serialize(self, topic, headers, data):
        if data is None or isinstance(data, bytes):
            return data
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


# Structured mode of the CloudEvents Kafka protocol binding: the envelope is the value, this is the
# content type, and there are no ce_* headers (those would make a reader take it for binary mode).
CLOUDEVENTS_CONTENT_TYPE = b"application/cloudevents+json"


def kafka_record(event: dict[str, Any]) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """The Kafka message of an event (its envelope as a dict): key = the aggregate id (its subject), so one
    aggregate's events stay in order; value = the JSON envelope; the structured-mode content type."""
    return (event["subject"].encode(), json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode(),
            [("content-type", CLOUDEVENTS_CONTENT_TYPE)])


def kafka_reachable(servers: list[str], timeout_s: float = 1.0) -> tuple[bool, str]:
    """True when at least one bootstrap broker accepts a TCP connection (a worker's readiness)."""
    for server in servers:
        host, _, port = server.rpartition(":")
        try:
            with socket.create_connection((host, int(port)), timeout=timeout_s):
                return True, "ok"
        except OSError:
            continue
    return False, "no bootstrap broker reachable"


def recent_event_ids(settings: Settings, topic: str, per_partition: int, timeout_s: float = 10.0) -> set[str]:
    """The ids of the last `per_partition` events of each partition of `topic` (the relay's recovery)."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(**settings.kafka_client_options(), group_id=None, enable_auto_commit=False,
                             client_id=f"{settings.consumer_group()}-relay-recovery")
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not partitions:
            return set()
        consumer.assign(partitions)
        ends, beginnings = consumer.end_offsets(partitions), consumer.beginning_offsets(partitions)
        for tp in partitions:
            # Never before the first offset retention kept: out of range, the client would jump to the end.
            consumer.seek(tp, max(ends[tp] - per_partition, beginnings[tp]))
        ids: set[str] = set()
        deadline = time.monotonic() + timeout_s
        while any(consumer.position(tp) < ends[tp] for tp in partitions):
            if time.monotonic() > deadline:
                raise TimeoutError(f"reading the end of {topic} took more than {timeout_s:.0f} s")
            for records in consumer.poll(timeout_ms=500).values():
                for record in records:
                    try:
                        ids.add(json.loads(record.value)["id"])
                    except (ValueError, KeyError, TypeError):
                        continue  # not one of our envelopes
        return ids
    finally:
        consumer.close()


def dead_letter_topic(settings: Settings) -> str:
    """Each consuming service has its own dead-letter topic."""
    return settings.topic(f"{settings.service}.dlt")


def make_producer(settings: Settings, **overrides) -> KafkaProducer:
    """A producer that waits for all in-sync replicas and never reorders or duplicates on retry.

    Timeouts are short so that a broker outage surfaces to the relay in seconds; the relay then
    keeps the events in the outbox and tries again.
    """
    config = dict(
        **settings.kafka_client_options(),
        client_id=f"{settings.consumer_group()}-producer",
        acks="all",
        enable_idempotence=True,
        max_in_flight_requests_per_connection=5,
        linger_ms=5,
        retries=5,
        request_timeout_ms=5000,
        delivery_timeout_ms=15000,
        max_block_ms=5000,
        key_serializer=_KeySerializer(),
        value_serializer=_JsonValueSerializer(),
    )
    config.update(overrides)
    return KafkaProducer(**config)


def _all_have_leaders(admin: KafkaAdminClient, topics: list[str]) -> bool:
    described = admin.describe_topics(topics)
    return len(described) == len(topics) and all(
        t["error_code"] == 0 and t["partitions"] and all(p["leader_id"] >= 0 for p in t["partitions"])
        for t in described)


def new_topic(settings: Settings, topic: str) -> NewTopic:
    """A topic as the settings want it: partitions, replication factor, min.insync.replicas, retention (the
    agencies' events compacted and kept: the other services' replicas are rebuilt from them)."""
    partitions, replication, configs = settings.topic_settings(topic)
    return NewTopic(topic, num_partitions=partitions, replication_factor=replication, topic_configs=configs)


def ensure_topics(settings: Settings, topics: Iterable[str], timeout_s: float = 30.0) -> None:
    """Create the topics if they do not exist yet (concurrent creators are fine), then wait until
    every partition has a leader: a consumer that subscribes to a topic still without partition
    metadata gets no assignment until its next metadata refresh. An existing topic is left as it is (more
    partitions would move aggregates' keys to other partitions and break their order: a deliberate step)."""
    topics = sorted(set(topics))
    admin = KafkaAdminClient(**settings.kafka_client_options(), request_timeout_ms=10000,
                             client_id=f"{settings.consumer_group()}-admin")
    try:
        existing = set(admin.list_topics())
        missing = [t for t in topics if t not in existing]
        for topic in missing:
            try:
                spec = new_topic(settings, topic)
                admin.create_topics([spec])
                log.info("created topic", extra={"topic": topic, "partitions": spec.num_partitions,
                                                 "replication": spec.replication_factor, "configs": spec.topic_configs})
            except TopicAlreadyExistsError:
                pass
        deadline = time.monotonic() + timeout_s
        while topics and not _all_have_leaders(admin, topics):
            if time.monotonic() > deadline:
                raise TimeoutError(f"topics {topics} have no partition leaders after {timeout_s}s")
            time.sleep(0.1)
    finally:
        admin.close()
