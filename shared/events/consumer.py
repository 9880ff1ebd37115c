"""The consumer runner: every service's Kafka consumers run through this one loop.

Contract:
- offsets are committed manually, only after every message before them was handled,
  dead-lettered or skipped; a crash therefore redelivers, never loses (handlers are idempotent);
- a message that cannot be parsed, breaks its type's contract, or still fails after bounded
  retries with exponential backoff goes to the service's dead-letter topic with the reason in
  its headers, and the consumer moves on;
- unknown event types are skipped (other services may add types at any time);
- infrastructure failures (MongoDB unreachable) are not the message's fault: the runner does not
  dead-letter them but reconnects and resumes from the last committed offset.
"""
from __future__ import annotations

import logging
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable

from kafka import KafkaConsumer
from kafka.structs import OffsetAndMetadata
from pymongo.errors import ConnectionFailure

from shared.events.contracts import ContractViolation, EventContract
from shared.events.envelope import Event, MalformedEvent
from shared.logging import reset_correlation_id, set_correlation_id
from shared.metrics import EVENTS_CONSUMED

log = logging.getLogger(__name__)

Handler = Callable[[Event, dict], None]

# Errors that say the infrastructure is down rather than the message is bad.
INFRASTRUCTURE_ERRORS: tuple[type[BaseException], ...] = (ConnectionFailure,)


@dataclass
class HandlerRegistry:
    """Maps an event type to its contract and the handler that receives (event, validated data)."""

    handlers: dict[str, tuple[EventContract, Handler]] = field(default_factory=dict)

    def on(self, contract: EventContract, handler: Handler) -> None:
        if contract.type in self.handlers:
            raise ValueError(f"a handler for {contract.type} is already registered")
        self.handlers[contract.type] = (contract, handler)

    def topics(self) -> set[str]:
        return {contract.topic for contract, _ in self.handlers.values()}


class _DeadLetter(Exception):
    def __init__(self, reason: str, error: str):
        super().__init__(error)
        self.reason = reason
        self.error = error


class MessageProcessor:
    """Handles one Kafka message: parse, validate, dispatch with retries, or dead-letter."""

    def __init__(self, registry: HandlerRegistry, dead_letter: Callable[[object, str, str], None],
                 max_retries: int = 3, backoff_s: float = 0.1, sleep: Callable[[float], None] = time.sleep):
        self.registry = registry
        self.dead_letter = dead_letter
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.sleep = sleep

    def process(self, message) -> str:
        """Returns the outcome: handled, skipped or dead_lettered. Raises infrastructure errors."""
        try:
            outcome = self._dispatch(message)
        except _DeadLetter as dead:
            log.warning("dead-lettering message", extra={"reason": dead.reason, "error": dead.error,
                                                         "topic": message.topic, "offset": message.offset})
            self.dead_letter(message, dead.reason, dead.error)
            outcome = "dead_lettered"
        EVENTS_CONSUMED.labels(outcome=outcome).inc()
        return outcome

    def _dispatch(self, message) -> str:
        try:
            event = Event.from_json(message.value)
        except MalformedEvent as err:
            raise _DeadLetter("unparseable", str(err)) from None
        entry = self.registry.handlers.get(event.type)
        if entry is None:
            log.debug("skipping unknown event type", extra={"type": event.type})
            return "skipped"
        contract, handler = entry
        try:
            data = contract.validate(event.data)
        except ContractViolation as err:
            raise _DeadLetter("contract_violation", str(err)) from None
        token = set_correlation_id(event.correlationid)
        try:
            self._call_with_retries(handler, event, data)
        finally:
            reset_correlation_id(token)
        return "handled"

    def _call_with_retries(self, handler: Handler, event: Event, data: dict) -> None:
        for attempt in range(self.max_retries + 1):
            try:
                handler(event, data)
                return
            except INFRASTRUCTURE_ERRORS:
                raise
            except Exception as err:  # noqa: BLE001 - any handler failure is retried, then dead-lettered
                if attempt == self.max_retries:
                    raise _DeadLetter("handler_failed", "".join(traceback.format_exception_only(err)).strip()) from err
                log.warning("handler failed; retrying", extra={"event_id": event.id, "attempt": attempt + 1})
                self.sleep(self.backoff_s * (2 ** attempt))


class ConsumerRunner:
    """Polls the registry's topics with one consumer group and feeds every message to the processor."""

    def __init__(self, *, bootstrap_servers: list[str], group_id: str, topics: list[str],
                 processor: MessageProcessor, max_poll_records: int = 500):
        self.bootstrap_servers = bootstrap_servers
        self.group_id = group_id
        self.topics = topics
        self.processor = processor
        self.max_poll_records = max_poll_records

    def _connect(self) -> KafkaConsumer:
        consumer = KafkaConsumer(
            bootstrap_servers=self.bootstrap_servers,
            group_id=self.group_id,
            client_id=f"{self.group_id}-consumer",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self.max_poll_records,
            session_timeout_ms=10000,
            heartbeat_interval_ms=3000,
            # Notice new partitions of subscribed topics within 30 s, not the default 5 minutes.
            metadata_max_age_ms=30000,
        )
        # Subscribe only once this consumer's own metadata knows every topic's partitions: the group
        # leader assigns nothing for a topic it has no partition metadata for, and would not look again
        # until the next metadata refresh (a freshly created topic hits this).
        deadline = time.monotonic() + 30
        for topic in self.topics:
            while not consumer.partitions_for_topic(topic) and time.monotonic() < deadline:
                time.sleep(0.1)
        consumer.subscribe(self.topics)
        return consumer

    def run(self, should_stop: Callable[[], bool], error_backoff_s: float = 1.0) -> None:
        while not should_stop():
            consumer = None
            try:
                consumer = self._connect()
                while not should_stop():
                    self.poll_once(consumer)
            except Exception:  # noqa: BLE001 - reconnect and resume from the committed offsets
                log.exception("consumer loop failed; reconnecting")
                time.sleep(error_backoff_s)
            finally:
                if consumer is not None:
                    consumer.close(autocommit=False)

    def poll_once(self, consumer: KafkaConsumer, timeout_ms: int = 200) -> int:
        batch = consumer.poll(timeout_ms=timeout_ms)
        count = 0
        for partition, messages in batch.items():
            for message in messages:
                self.processor.process(message)
                count += 1
            # Commit per partition after the whole run is handled: at-least-once, never lost.
            consumer.commit({partition: OffsetAndMetadata(messages[-1].offset + 1, "", -1)})
        return count


def kafka_dead_letter(producer, topic: str, service: str) -> Callable[[object, str, str], None]:
    """A dead-letter sink that copies the original bytes and says why in the headers.

    It waits for the broker's acknowledgement: if the dead letter cannot be stored, the offset is
    not committed and the message will be seen again.
    """
    def send(message, reason: str, error: str) -> None:
        headers = list(message.headers or []) + [
            ("dlt_reason", reason.encode()),
            ("dlt_error", error[:4000].encode()),
            ("dlt_consumer", service.encode()),
            ("dlt_original_topic", message.topic.encode()),
            ("dlt_original_partition", str(message.partition).encode()),
            ("dlt_original_offset", str(message.offset).encode()),
        ]
        producer.send(topic, key=message.key, value=message.value or b"", headers=headers).get(timeout=30)
    return send
