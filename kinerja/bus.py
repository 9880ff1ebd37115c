"""A client of the event bus for tools and tests (the `kinerja events` CLI, the pytest plugin): publish a
contract-checked event as the services would, read what was emitted, wait for an event, list dead letters
and send them back to their topic. It speaks to any bootstrap servers and any namespace; it never touches
a service's database.

    bus = EventBus("127.0.0.1:9092", namespace="")
    mark = bus.positions()                       # "from now on"
    bus.publish("kinerja.agency.registered.v1", {...}, subject="a-1")
    event = bus.wait_for_event(type="kinerja.agency.registered.v1", subject="a-1", since=mark)
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata

import shared.contracts  # noqa: F401 - registers every contract
from shared.events.contracts import ContractViolation, all_contracts, contract_for
from shared.events.envelope import Event, MalformedEvent
from shared.events.kafka import kafka_record

DLT_PREFIX = "dlt_"
Positions = dict[TopicPartition, int]


class UnknownEventType(ValueError):
    """No contract has this type: publishing it would only feed dead-letter topics."""


@dataclass(frozen=True)
class Received:
    """One Kafka message: where it was, its bytes, and the event in it (None, with `error`, when it is not one)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: dict[str, bytes] = field(default_factory=dict)
    event: Event | None = None
    error: str | None = None

    @property
    def dead_letter(self) -> dict[str, str]:
        """Why a dead letter is one (reason, error, consumer, original topic, partition, offset)."""
        return {name[len(DLT_PREFIX):]: value.decode(errors="replace") for name, value in self.headers.items()
                if name.startswith(DLT_PREFIX)}


def _received(message) -> Received:
    headers = {name: value for name, value in (message.headers or [])}
    try:
        return Received(message.topic, message.partition, message.offset, message.key, message.value or b"",
                        headers, Event.from_json(message.value))
    except MalformedEvent as err:
        return Received(message.topic, message.partition, message.offset, message.key, message.value or b"",
                        headers, None, str(err))


class EventBus:
    def __init__(self, bootstrap: str | Iterable[str] = "127.0.0.1:9092", namespace: str = ""):
        self.bootstrap = [bootstrap] if isinstance(bootstrap, str) else list(bootstrap)
        self.namespace = namespace
        self._producer: KafkaProducer | None = None

    def close(self) -> None:
        if self._producer is not None:
            self._producer.close()
            self._producer = None

    # -- names ------------------------------------------------------------------------------------

    def topic(self, name: str) -> str:
        """`agencies.events` → `<namespace>kinerja.agencies.events` (a full name is kept as it is)."""
        return name if name.startswith(f"{self.namespace}kinerja.") else f"{self.namespace}kinerja.{name}"

    def event_topics(self) -> list[str]:
        return sorted({self.topic(c.topic) for c in all_contracts()})

    def dead_letter_topic(self, service: str) -> str:
        return self.topic(f"{service}.dlt")

    # -- publishing -------------------------------------------------------------------------------

    def build(self, event_type: str, data: dict, *, subject: str, sequence: int = 1, source: str = "kinerja-cli",
              correlation_id: str | None = None) -> Event:
        """The event, checked against its contract: UnknownEventType, or ContractViolation naming each field."""
        contract = contract_for(event_type)
        if contract is None:
            known = ", ".join(c.type for c in all_contracts())
            raise UnknownEventType(f"no contract for {event_type!r}; known types: {known}")
        event = contract.build(source=source, subject=subject, sequence=sequence, data=data)
        if correlation_id:
            event = Event.from_dict({**event.to_dict(), "correlationid": correlation_id})
        return event

    def publish(self, event_type: str, data: dict, **envelope) -> Event:
        """Build (see `build`) and send an event to its type's topic, keyed by its subject, as the relay does;
        returns once the broker has acknowledged it."""
        event = self.build(event_type, data, **envelope)
        self.send(event)
        return event

    def send(self, event: Event) -> None:
        contract = contract_for(event.type)
        if contract is None:
            raise UnknownEventType(f"no contract for {event.type!r}")
        key, value, headers = kafka_record(event.to_dict())
        self._send(self.topic(contract.topic), key, value, headers)

    def send_raw(self, topic: str, key: bytes | None, value: bytes, headers=()) -> None:
        """Any bytes to any topic (`agencies.events` or a full name): what a broken producer would send."""
        self._send(self.topic(topic), key, value, headers)

    def _send(self, topic: str, key, value: bytes, headers) -> None:
        if self._producer is None:
            self._producer = KafkaProducer(bootstrap_servers=self.bootstrap, acks="all", enable_idempotence=True,
                                           max_block_ms=10000, request_timeout_ms=10000)
        self._producer.send(topic, key=key, value=value, headers=list(headers)).get(timeout=30)

    # -- reading ----------------------------------------------------------------------------------

    def _consumer(self, group_id: str | None = None) -> KafkaConsumer:
        return KafkaConsumer(bootstrap_servers=self.bootstrap, group_id=group_id, enable_auto_commit=False,
                             auto_offset_reset="earliest", client_id=f"kinerja-bus-{uuid.uuid4().hex[:6]}")

    def _partitions(self, consumer: KafkaConsumer, topics: Iterable[str]) -> list[TopicPartition]:
        """The partitions of those `topics` that exist (one fresh metadata request: a topic created a moment
        ago by another client is seen)."""
        existing = consumer.topics()
        found = []
        for topic in topics:
            if topic in existing:
                found += [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        return found

    def positions(self, topics: Iterable[str] | None = None) -> Positions:
        """Where each partition of `topics` (default: every event topic) ends now: pass it as `since` to read
        only what comes after."""
        consumer = self._consumer()
        try:
            partitions = self._partitions(consumer, topics or self.event_topics())
            return dict(consumer.end_offsets(partitions)) if partitions else {}
        finally:
            consumer.close()

    def read(self, topics: Iterable[str], *, since: Positions | None = None, follow: bool = False,
             timeout: float | None = None, should_stop: Callable[[], bool] = lambda: False) -> Iterator[Received]:
        """Messages of `topics` from `since` (default: the beginning; a partition created later: its start).
        Without `follow` it stops at the end as it was when called; with it, at `timeout` or `should_stop`."""
        topics = [self.topic(t) for t in topics]
        consumer = self._consumer()
        try:
            partitions = self._partitions(consumer, topics)
            if not partitions:
                return
            consumer.assign(partitions)
            for tp in partitions:
                if since and tp in since:
                    consumer.seek(tp, since[tp])
                else:
                    consumer.seek_to_beginning(tp)
            ends = None if follow else dict(consumer.end_offsets(partitions))
            deadline = None if timeout is None else time.monotonic() + timeout
            while not should_stop():
                if ends is not None and all(consumer.position(tp) >= end for tp, end in ends.items()):
                    return
                if deadline is not None and time.monotonic() > deadline:
                    return
                for records in consumer.poll(timeout_ms=200).values():
                    for message in records:
                        yield _received(message)
        finally:
            consumer.close()

    def wait_for_event(self, *, type: str | None = None, subject: str | None = None,
                       predicate: Callable[[Event], bool] | None = None, since: Positions | None = None,
                       timeout: float = 10.0) -> Event:
        """The first event (after `since`, default: from the beginning) of `type` about `subject` that satisfies
        `predicate`; TimeoutError saying what was looked for and what was seen instead."""
        contract = contract_for(type) if type else None
        topics = [self.topic(contract.topic)] if contract else self.event_topics()
        seen = 0
        for received in self.read(topics, since=since, follow=True, timeout=timeout):
            event = received.event
            if event is None:
                continue
            seen += 1
            if (type is None or event.type == type) and (subject is None or event.subject == subject) \
                    and (predicate is None or predicate(event)):
                return event
        raise TimeoutError(f"no event of type {type or 'any'} about {subject or 'any subject'} within {timeout:g} s "
                           f"on {', '.join(topics)} ({seen} other events seen)")

    # -- dead letters -----------------------------------------------------------------------------

    def dead_letters(self, service: str) -> list[Received]:
        """Every dead letter of a service's consumer, oldest first."""
        return list(self.read([self.dead_letter_topic(service)]))

    def _redrive_group(self, service: str) -> str:
        return f"{self.namespace}kinerja.{service}.dlt-redrive"

    def redrive(self, service: str, *, dry_run: bool = False,
                progress: Callable[[Received], None] = lambda received: None) -> list[Received]:
        """Send each dead letter not sent back before to its original topic (same key, value and headers, without
        the dead-letter ones), committing the redrive group's offset after each: a dead letter goes back once,
        however often redrive runs. With `dry_run`, only says which it would send."""
        topic = self.dead_letter_topic(service)
        consumer = self._consumer(group_id=self._redrive_group(service))
        sent: list[Received] = []
        try:
            partitions = self._partitions(consumer, [topic])
            if not partitions:
                return []
            consumer.assign(partitions)
            ends = dict(consumer.end_offsets(partitions))
            for tp in partitions:
                committed = consumer.committed(tp)
                if committed is None:
                    consumer.seek_to_beginning(tp)
                else:
                    consumer.seek(tp, committed)
            while any(consumer.position(tp) < end for tp, end in ends.items()):
                for tp, records in consumer.poll(timeout_ms=500).items():
                    for message in records:
                        if message.offset >= ends[tp]:
                            continue
                        letter = _received(message)
                        if not dry_run:
                            original = letter.dead_letter.get("original_topic")
                            if not original:
                                raise ValueError(f"dead letter {tp.topic}/{tp.partition}@{message.offset} names no "
                                                 "original topic")
                            headers = [(k, v) for k, v in (message.headers or []) if not k.startswith(DLT_PREFIX)]
                            self._send(original, message.key, message.value or b"", headers)
                            consumer.commit({tp: OffsetAndMetadata(message.offset + 1, "", -1)})
                        sent.append(letter)
                        progress(letter)
            return sent
        finally:
            consumer.close()


def describe(received: Received) -> dict:
    """A message as JSON lines print it."""
    base = {"topic": received.topic, "partition": received.partition, "offset": received.offset,
            "key": received.key.decode(errors="replace") if received.key else None}
    if received.dead_letter:
        base["dead_letter"] = received.dead_letter
    if received.event is None:
        return {**base, "error": received.error, "value": received.value.decode(errors="replace")[:2000]}
    return {**base, "event": received.event.to_dict()}


def dumps(received: Received) -> str:
    return json.dumps(describe(received), ensure_ascii=False)


__all__ = ["EventBus", "Received", "UnknownEventType", "ContractViolation", "describe", "dumps"]
