"""The audit trail's records: an append-only record of every write (who, role, when, what, before → after,
reason, correlation id). No Flask here: commands build records through shared.commands, and the trail is
read at GET /api/v1/audit (shared.http.audit_routes), never written through the API.

A record must exist exactly once for every write, even if the process dies right after it. So the record
travels like an event: the aggregate store (shared.store) pushes it into the aggregate document's
`audit_pending` list in the same single-document write as the change, and the worker's relay moves it into
the `audit` collection with the events of the same document (an insert keyed by the record id, so a second
move is a no-op). It is readable within a relay pass of the write.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any, Iterable

from mongoengine import DateTimeField, DictField, Document, ListField, StringField
from pymongo.collection import Collection
from pymongo.errors import BulkWriteError

from shared.auth.tokens import Principal
from shared.logging import get_correlation_id

DUPLICATE_KEY = 11000


class AuditRecord(Document):
    meta = {
        "collection": "audit",
        # Filters of GET /audit; the listing sorts by (at, _id), newest first.
        "indexes": ["entity_id", "entity_type", "agency_id", "actor", "agency_path", ("-at", "-_id")],
    }

    id = StringField(primary_key=True)
    at = DateTimeField(required=True)
    actor = StringField(required=True)
    role = StringField(required=True)
    action = StringField(required=True)
    entity_type = StringField(required=True)
    entity_id = StringField(required=True)
    agency_id = StringField(null=True)
    agency_path = ListField(StringField())
    before = DictField(null=True)
    after = DictField(null=True)
    reason = StringField(null=True)
    correlation_id = StringField(null=True)


def audit_entry(principal: Principal, *, action: str, entity_type: str, entity_id: str, agency_id: str | None,
                agency_path: Iterable[str], before: dict | None, after: dict | None,
                reason: str | None = None, at: datetime | None = None) -> dict[str, Any]:
    """A record of `principal`'s write, to be stored with the write itself."""
    return {
        "_id": str(uuid.uuid4()), "at": at or datetime.now(timezone.utc), "actor": principal.sub,
        "role": principal.role, "action": action, "entity_type": entity_type, "entity_id": entity_id,
        "agency_id": agency_id, "agency_path": list(agency_path), "before": before, "after": after,
        "reason": reason, "correlation_id": get_correlation_id(),
    }


def move_pending_audit(audit: Collection, docs: list[dict]) -> None:
    """Store the `audit_pending` entries of `docs` in the `audit` collection, the ones not there yet.

    Idempotent (keyed by record id): one indexed read finds the records a previous pass stored already
    (it crashed before removing them from the documents), and only the others are inserted. The entries
    stay in the aggregate documents until the relay removes them with the published events."""
    entries = [entry for doc in docs for entry in doc.get("audit_pending") or ()]
    if not entries:
        return
    stored = {doc["_id"] for doc in audit.find({"_id": {"$in": [e["_id"] for e in entries]}}, {"_id": 1})}
    missing = [entry for entry in entries if entry["_id"] not in stored]
    if not missing:
        return
    try:
        audit.insert_many(missing, ordered=False)
    except BulkWriteError as err:
        # Stored meanwhile by another relay pass: fine; anything else is not.
        if any(e["code"] != DUPLICATE_KEY for e in err.details.get("writeErrors", [])):
            raise
