"""An in-process event pump for integration tests of one service's handlers on real MongoDB: what its
relay and consumer do, without the Kafka hop (e2e tests cover that). It takes the pending events of the
given outbox collections, removes them as the relay would, and hands them to the service's registry
through the real MessageProcessor, flushing after each round."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from shared.events.handlers import HandlerRegistry
from shared.events.processing import MessageProcessor
from shared.events.envelope import Event


@dataclass
class Message:
    value: bytes
    topic: str = "pump"
    partition: int = 0
    offset: int = 0
    key: bytes | None = None
    headers: list = field(default_factory=list)


def deliver(registry: HandlerRegistry, events: list[Event]) -> None:
    processor = MessageProcessor(registry, lambda message, reason, error: (_ for _ in ()).throw(
        AssertionError(f"dead-lettered ({reason}): {error}")), max_retries=0)
    for event in events:
        outcome = processor.process(Message(event.to_json()))
        assert outcome in ("handled", "skipped"), outcome
    processor.flush()


def pump(registry: HandlerRegistry, collections, rounds: int = 20) -> int:
    """Relay and handle until nothing is pending; returns how many events went through."""
    total = 0
    for _ in range(rounds):
        events = []
        for collection in collections:
            # The relay's own selection: due documents, through their index.
            for doc in collection.find({"outbox_due": {"$lte": datetime.now(timezone.utc)}}, {"outbox": 1}):
                events += [Event.from_dict(entry["event"]) for entry in doc["outbox"]]
                collection.update_one({"_id": doc["_id"]}, {"$pull": {"outbox": {"id": {"$in": [
                    entry["id"] for entry in doc["outbox"]]}}}, "$unset": {"outbox_due": ""}})
        if not events:
            return total
        deliver(registry, sorted(events, key=lambda e: e.time))
        total += len(events)
    raise AssertionError("events kept coming: a handler loops")
