"""Transactional outbox without transactions.

An aggregate's document carries its own pending events (`outbox`), so the state change and
the event are one single-document write: either both are stored or neither is. The relay
publishes pending events in order and removes exactly the ones the broker acknowledged.

It relies on what MongoDB guarantees for one document: an update with the version in its
filter is an atomic compare-and-set, and `$pullAll` removes exactly the published entries
whatever was appended meanwhile.
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
    update = {"$set": {**changes, "version": event.sequence, "outbox_pending": True}, "$push": push}
    # The version in the filter makes the update an atomic compare-and-set.
    return collection.update_one({"_id": aggregate_id, "version": expected_version}, update).modified_count == 1


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
        acked_by_doc: dict = {}
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
            acked_by_doc[doc["_id"]] = acked
        published = sum(map(len, acked_by_doc.values()))
        EVENTS_RELAYED.inc(published)
        self._remove_published(collection, docs, acked_by_doc)
        return published

    def _remove_published(self, collection: Collection, docs: list[dict], acked_by_doc: dict) -> None:
        """Remove acknowledged events (and the audit records `before_publish` has stored) from
        their documents."""
        audits_by_doc = {doc["_id"]: doc.get("audit_pending") or [] for doc in docs}
        # $pullAll removes exactly what was handled, atomically, whatever was appended meanwhile;
        # the flag is cleared only if nothing was.
        updates: list[UpdateOne] = []
        for doc_id, acked in acked_by_doc.items():
            updates.append(UpdateOne({"_id": doc_id}, {"$pullAll": {"outbox": acked,
                                                                     "audit_pending": audits_by_doc[doc_id]}}))
            updates.append(UpdateOne({"_id": doc_id, "outbox.0": {"$exists": False}},
                                     {"$set": {"outbox_pending": False}}))
        if updates:
            collection.bulk_write(updates, ordered=True)

    def _send(self, event: dict[str, Any]):
        headers = [("ce_type", event["type"].encode()), ("ce_id", event["id"].encode())]
        return self.producer.send(self.topic, key=event["subject"], value=event, headers=headers)

    def run(self, should_stop: Callable[[], bool], idle_s: float = 0.05, error_backoff_s: float = 1.0) -> None:
        """Relay until `should_stop()`; sleep when idle, back off when Kafka or Mongo fails."""
        while not should_stop():
            try:
                published = self.relay_once()
            except Exception:  # noqa: BLE001 - the relay must outlive outages; the events stay pending
                log.exception("outbox relay pass failed; retrying")
                time.sleep(error_backoff_s)
                continue
            if published >= self.batch_size:
                continue
            time.sleep(idle_s)
