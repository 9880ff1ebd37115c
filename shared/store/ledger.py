"""The processed-event ledger: idempotency for handlers whose effect is not a snapshot.

A snapshot projection is idempotent by its sequence guard (shared.projections). A counter is not:
"one more completed activity" applied twice counts twice. So such a handler records the FACT an event
contributes (unique on consumer + event id, so a redelivery records nothing new) and then DERIVES the
state from every recorded fact of its key. Deriving is idempotent and runs on every delivery, so a
crash between recording and deriving, or between deriving and the offset commit, is repaired by the
redelivery that follows: no effect is lost and none is doubled, without a multi-document transaction.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

from mongoengine import DateTimeField, DictField, Document, StringField
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError, OperationFailure

from shared.events.envelope import Event


class ProcessedEvent(Document):
    meta = {
        "collection": "processed_events",
        # One fact per event and key: an activity linked to two indicators is a fact about each. (Unique on
        # consumer and event alone, as before, recorded it for the first indicator only; Ledger.upgrade.)
        "indexes": [{"fields": ["consumer", "event_id", "key"], "unique": True}, ("consumer", "key")],
    }

    consumer = StringField(required=True)
    event_id = StringField(required=True)
    key = StringField(required=True)  # what the fact is about, e.g. an indicator id
    fact = DictField()
    event_time = StringField()
    recorded_at = DateTimeField()


class Ledger:
    """The facts one service's handlers recorded, in its `processed_events` collection."""

    def __init__(self, collection: Collection):
        self.collection = collection

    OLD_UNIQUE = "consumer_1_event_id_1"

    def upgrade(self) -> bool:
        """Drop the unique index of an earlier version (consumer, event) if it is still there: it refuses the second
        key of one event. The new index is created before start-up runs this, so uniqueness never lapses."""
        if self.OLD_UNIQUE not in self.collection.index_information():
            return False
        try:
            self.collection.drop_index(self.OLD_UNIQUE)
        except OperationFailure:  # dropped by another process starting at the same time
            pass
        return True

    def record(self, consumer: str, event: Event, key: str, fact: dict[str, Any]) -> bool:
        """Record what `event` contributes to `key`, once per consumer; False when it was already recorded."""
        try:
            self.collection.insert_one({
                "consumer": consumer, "event_id": event.id, "key": key, "fact": fact, "event_time": event.time,
                "recorded_at": datetime.now(timezone.utc)})
        except DuplicateKeyError:
            return False
        return True

    def facts(self, consumer: str, key: str) -> list[dict[str, Any]]:
        """Every fact recorded for `key` by `consumer`, in the order the events happened."""
        docs = self.collection.find({"consumer": consumer, "key": key}, {"fact": 1, "event_time": 1})
        return [doc["fact"] for doc in sorted(docs, key=lambda d: d.get("event_time") or "")]

    def apply_once(self, consumer: str, event: Event, key: str, fact: dict[str, Any],
                   derive: Callable[[list[dict[str, Any]]], None]) -> bool:
        """Record the fact (once), then derive `key`'s state from all its facts (every time). Returns
        whether this delivery recorded something new."""
        recorded = self.record(consumer, event, key, fact)
        derive(self.facts(consumer, key))
        return recorded
