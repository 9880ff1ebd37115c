"""Test helpers that read and write Kafka topics directly."""
from __future__ import annotations

import time
import uuid

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

BOOTSTRAP = ["127.0.0.1:9092"]


def read_topic(topic: str, *, min_count: int, timeout: float = 15.0) -> list:
    """Every message of `topic` from the beginning. Returns as soon as `min_count` arrived; with
    `min_count=0` it keeps reading for the whole `timeout` (to show that nothing arrives)."""
    consumer = KafkaConsumer(bootstrap_servers=BOOTSTRAP, group_id=None, enable_auto_commit=False)
    try:
        deadline = time.monotonic() + timeout
        partitions = None
        while not partitions and time.monotonic() < deadline:
            partitions = consumer.partitions_for_topic(topic)
            if not partitions:
                time.sleep(0.2)
        if not partitions:
            return []
        tps = [TopicPartition(topic, p) for p in partitions]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        messages: list = []
        while time.monotonic() < deadline and (min_count == 0 or len(messages) < min_count):
            for records in consumer.poll(timeout_ms=200).values():
                messages.extend(records)
        return messages
    finally:
        consumer.close()


def produce_raw(topic: str, messages: list[tuple[str | None, bytes]]) -> None:
    producer = KafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all")
    try:
        for key, value in messages:
            producer.send(topic, key=key.encode() if key else None, value=value).get(timeout=10)
    finally:
        producer.close()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"
