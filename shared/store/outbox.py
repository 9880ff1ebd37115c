"""The transactional outbox, without transactions: the one place that knows its format.

An aggregate's document carries its own pending events, so the state change and its event are one
single-document write (shared.store.aggregates): either both are stored or neither is.

Format, in the aggregate document:
- `outbox`: pending entries, oldest first: {id, event (the CloudEvents envelope), attempts, error}.
- `outbox_due`: when the relay should next look at this document. Absent when nothing is pending; null
  when its oldest event has failed for good (the document waits for an operator's retry). A write makes
  a waiting document due now with `$min`, which never delays it and never unblocks a failed one.
- `outbox_failed`: true while the oldest event is marked failed.
- `audit_pending`: audit records written with the change, moved to the audit collection by the relay
  with the events (shared.audit).
- `write_token`: which bulk of compare-and-set writes wrote the document last (AggregateStore.apply_many).

The relay (shared.store.relay) publishes in the order documents became due, keeps a per-event outcome,
and lets one failing event hold back only the later events of its own aggregate. This module is the
format alone: API processes write it and import no Kafka client.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterable

from mongoengine import BooleanField, DateTimeField, DictField, Document, IntField, ListField
from pymongo.collection import Collection

from shared.events.envelope import Event

# Fields of the outbox format; never shown to API clients.
BOOKKEEPING_FIELDS = ("outbox", "outbox_due", "outbox_failed", "audit_pending", "write_token")



class OutboxDocument(Document):
    """Base of aggregate documents that record the events of their own changes."""

    meta = {
        "abstract": True,
        "indexes": [
            # The relay's query: due documents in due order. Sparse: most documents have nothing pending.
            {"fields": ["outbox_due"], "sparse": True},
            {"fields": ["outbox_failed"], "sparse": True},
        ],
    }

    version = IntField(required=True, min_value=1)
    outbox = ListField(DictField())
    outbox_due = DateTimeField(null=True)
    outbox_failed = BooleanField()
    audit_pending = ListField(DictField())


def now() -> datetime:
    return datetime.now(timezone.utc)


def entry_of(event: Event) -> dict[str, Any]:
    return {"id": event.id, "event": event.to_dict(), "attempts": 0, "error": None}


def fields_of_new_document(event: Event | None, audit: dict | None) -> dict[str, Any]:
    """The outbox fields of a document inserted with its first event (and audit record)."""
    fields: dict[str, Any] = {"outbox": [entry_of(event)] if event else [], "audit_pending": [audit] if audit else []}
    if event or audit:
        fields["outbox_due"] = now()
    return fields


def update_appending(event: Event | None, audit: dict | None) -> dict[str, Any]:
    """The update operators that append an event and an audit record to a document's outbox. The
    document becomes due either way, so the relay also moves a lone audit record."""
    push: dict[str, Any] = {}
    if event:
        push["outbox"] = entry_of(event)
    if audit:
        push["audit_pending"] = audit
    return {"$push": push, "$min": {"outbox_due": now()}} if push else {}


def room_for_one_more(max_pending: int) -> dict[str, Any]:
    """A filter matching only documents whose outbox holds fewer than `max_pending` events."""
    return {f"outbox.{max_pending - 1}": {"$exists": False}}


def failed_events(collection: Collection, limit: int = 1000) -> list[dict[str, Any]]:
    """Events marked failed, one per blocked aggregate, oldest failure first."""
    docs = collection.find({"outbox_failed": True}, {"outbox": {"$slice": 1}}).limit(limit)
    return [{"aggregate_id": doc["_id"], "event_id": head["id"], "type": head["event"]["type"],
             "sequence": head["event"]["sequence"], "attempts": head.get("attempts", 0), "error": head.get("error"),
             "failed_at": head.get("failed_at")}
            for doc in docs for head in (doc.get("outbox") or [])[:1]]


def retry_failed(collection: Collection, aggregate_ids: Iterable[Any] | None = None) -> int:
    """Make failed events due again (after their cause was fixed); returns how many aggregates."""
    selector: dict[str, Any] = {"outbox_failed": True}
    if aggregate_ids is not None:
        selector["_id"] = {"$in": list(aggregate_ids)}
    return collection.update_many(selector, {"$set": {"outbox_due": now(), "outbox.0.attempts": 0},
                                             "$unset": {"outbox_failed": "", "outbox.0.failed_at": ""}}).modified_count
