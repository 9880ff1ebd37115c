"""Transactional outbox without transactions.

An aggregate's document carries its own pending events (`outbox`), so the state change and
the event are one single-document write: either both are stored or neither is. The relay
publishes pending events in order and removes exactly the ones the broker acknowledged.

Works on MongoDB and on FerretDB v1 alike: it needs only single-document atomic updates,
`$push`, `$pullAll` with exact values (FerretDB ignores query conditions inside `$pull`) and
an ordinary index on `outbox_pending`.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Callable, Iterable

from mongoengine import BooleanField, DictField, Document, IntField, ListField
from pymongo import UpdateOne
from pymongo.collection import Collection

from shared.events.envelope import Event
from shared.metrics import EVENTS_RELAYED

log = logging.getLogger(__name__)

# FerretDB v1 holds one SQLite connection per statement of an update command until the command
# ends, from a pool of 100 per database: one bulk update of ~50+ statements deadlocks the whole
# database. Bulk updates are therefore sent in commands of at most this many statements.
MAX_UPDATES_PER_COMMAND = 32


class OutboxDocument(Document):
    """Base for aggregate documents that record the events of their own changes."""

    meta = {"abstract": True}

    version = IntField(required=True, default=0, min_value=0)
    outbox = ListField(DictField(), default=list)
    outbox_pending = BooleanField(required=True, default=False)
    # Audit records of writes, waiting to be moved to the audit collection (see shared.audit).
    # Every audited write also records an event, so the relay always passes by them.
    audit_pending = ListField(DictField(), default=list)


def change_with_event(collection: Collection, aggregate_id: Any, expected_version: int,
                      changes: dict[str, Any], event: Event, audit: dict | None = None) -> bool:
    """Apply `changes` and append `event` in one atomic write, if the aggregate is still at
    `expected_version`. Returns False when someone else changed it first (nothing is written)."""
    if event.sequence != expected_version + 1:
        raise ValueError("an event's sequence must be the aggregate's next version")
    push = {"outbox": event.to_dict(), **({"audit_pending": audit} if audit else {})}
    result = collection.update_one(
        {"_id": aggregate_id, "version": expected_version},
        {"$set": {**changes, "version": event.sequence, "outbox_pending": True}, "$push": push},
    )
    return result.modified_count == 1


class OutboxRelay:
    """Moves pending events from aggregate documents to Kafka.

    One pass (`relay_once`) reads a batch of documents with pending events, sends every event
    (key = aggregate id, so one aggregate's events stay in order on one partition), waits for the
    broker's acknowledgements, then removes the acknowledged events. If Kafka is down nothing
    is removed and the next pass tries again. A crash between publishing and removing means the
    events are published again: consumers are idempotent.
    """

    def __init__(self, collections: Iterable[Collection], producer, topic: str, batch_size: int = 500,
                 send_timeout_s: float = 20.0,
                 before_publish: Callable[[Collection, list[dict]], None] | None = None):
        """`before_publish(collection, docs)` runs on each batch first (the worker moves audit records)."""
        self.before_publish = before_publish
        self.collections = list(collections)
        self.producer = producer
        self.topic = topic
        self.batch_size = batch_size
        self.send_timeout_s = send_timeout_s

    def ensure_indexes(self) -> None:
        for collection in self.collections:
            collection.create_index("outbox_pending")

    def relay_once(self) -> int:
        """Publish one batch from each collection; returns how many events were published."""
        return sum(self._relay_collection(c) for c in self.collections)

    def _relay_collection(self, collection: Collection) -> int:
        docs = list(collection.find({"outbox_pending": True}, {"outbox": 1, "audit_pending": 1}).limit(self.batch_size))
        if not docs:
            return 0
        if self.before_publish:
            self.before_publish(collection, docs)
        sends = [(doc, [(event, self._send(event)) for event in doc.get("outbox", [])]) for doc in docs]
        self.producer.flush(timeout=self.send_timeout_s)
        updates: list[UpdateOne] = []
        published = 0
        for doc, events in sends:
            acked = []
            for event, future in events:
                # Stop at the first failure so an aggregate's events are removed strictly in order.
                if not future.is_done or future.failed():
                    if future.is_done:
                        log.warning("event not acknowledged; it stays in the outbox",
                                    extra={"event_id": event.get("id"), "error": str(future.exception)})
                    break
                acked.append(event)
            if acked:
                published += len(acked)
                updates.append(UpdateOne({"_id": doc["_id"]}, {"$pullAll": {"outbox": acked}}))
            # Clear the flag only if no new event arrived meanwhile (the filter checks emptiness atomically).
            updates.append(UpdateOne({"_id": doc["_id"], "outbox.0": {"$exists": False}},
                                     {"$set": {"outbox_pending": False}}))
        for start in range(0, len(updates), MAX_UPDATES_PER_COMMAND):
            collection.bulk_write(updates[start:start + MAX_UPDATES_PER_COMMAND], ordered=True)
        EVENTS_RELAYED.inc(published)
        return published

    def _send(self, event: dict[str, Any]):
        headers = [("ce_type", event["type"].encode()), ("ce_id", event["id"].encode())]
        return self.producer.send(self.topic, key=event["subject"], value=event, headers=headers)

    def run(self, should_stop: Callable[[], bool], idle_s: float = 0.05, error_backoff_s: float = 1.0) -> None:
        """Relay until `should_stop()`; sleep when idle, back off when Kafka or Mongo fails."""
        self.ensure_indexes()
        while not should_stop():
            try:
                published = self.relay_once()
            except Exception:  # noqa: BLE001 - the relay must outlive outages; the events stay pending
                log.exception("outbox relay pass failed; retrying")
                time.sleep(error_backoff_s)
                continue
            if published < self.batch_size:
                time.sleep(idle_s)
