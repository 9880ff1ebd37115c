"""The audit trail: an append-only record of every write (who, role, when, what, before → after,
reason, correlation id), readable at GET /api/v1/audit and never writable through the API.

A record must exist exactly once for every write, even if the process dies right after it. So
the record travels like an event: the aggregate store (shared.store) pushes it into the aggregate
document's `audit_pending` list in the same single-document write as the change, then moves it into
the `audit` collection (insert keyed by the record id, so a second move is a no-op) — right away, and
by the worker's relay if the request did not get that far.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any, Iterable

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from mongoengine import DateTimeField, DictField, Document, ListField, StringField
from pymongo.collection import Collection
from pymongo.errors import BulkWriteError

from shared.auth.flask_auth import require_role_for
from shared.auth.tokens import Principal
from shared.auth.policy import Action, scope_filter
from shared.http.pagination import PageQuerySchema, fetch_page, page_schema
from shared.logging import get_correlation_id
from shared.text import Text

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
                reason: str | None = None) -> dict[str, Any]:
    """A record of `principal`'s write, to be stored with the write itself."""
    return {
        "_id": str(uuid.uuid4()), "at": datetime.now(timezone.utc), "actor": principal.sub, "role": principal.role,
        "action": action, "entity_type": entity_type, "entity_id": entity_id, "agency_id": agency_id,
        "agency_path": list(agency_path), "before": before, "after": after, "reason": reason,
        "correlation_id": get_correlation_id(),
    }


def move_pending_audit(source: Collection, docs: list[dict]) -> None:
    """Store the `audit_pending` entries of `docs` in the audit collection, the ones not there yet.

    Idempotent (keyed by record id). The request that wrote a record normally stored it already, so
    one indexed read finds those and only the others are inserted (a crashed request's). The entries
    stay in the aggregate documents until the relay removes them with the published events."""
    entries = [entry for doc in docs for entry in doc.get("audit_pending") or ()]
    if not entries:
        return
    audit = AuditRecord._get_collection()
    stored = {doc["_id"] for doc in audit.find({"_id": {"$in": [e["_id"] for e in entries]}}, {"_id": 1})}
    missing = [entry for entry in entries if entry["_id"] not in stored]
    if not missing:
        return
    try:
        audit.insert_many(missing, ordered=False)
    except BulkWriteError as err:
        # Stored meanwhile by someone else (request and relay raced): fine; anything else is not.
        if any(e["code"] != DUPLICATE_KEY for e in err.details.get("writeErrors", [])):
            raise


class AuditQuerySchema(PageQuerySchema):
    entity_id = Text()
    entity_type = Text()
    agency_id = Text(metadata={"description": "Records about this agency (not its subtree)"})
    actor = Text()
    since = fields.AwareDateTime(metadata={"description": "ISO 8601 with offset, inclusive"})
    until = fields.AwareDateTime(metadata={"description": "ISO 8601 with offset, exclusive"})


class AuditRecordSchema(Schema):
    id = fields.String()
    at = fields.AwareDateTime()
    actor = fields.String()
    role = fields.String()
    action = fields.String()
    entity_type = fields.String()
    entity_id = fields.String()
    agency_id = fields.String(allow_none=True)
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    reason = fields.String(allow_none=True)
    correlation_id = fields.String(allow_none=True)


AuditPageSchema = page_schema(AuditRecordSchema, "AuditPage")


def audit_blueprint() -> Blueprint:
    blp = Blueprint("audit", __name__, url_prefix="/audit",
                    description="Append-only audit trail of every write in this service (read-only).")

    @blp.route("")
    class AuditTrail(MethodView):
        @blp.arguments(AuditQuerySchema, location="query")
        @blp.response(200, AuditPageSchema)
        def get(self, query):
            """List audit records, newest first (admins: all; evaluators: their subtree)"""
            principal = require_role_for(Action.AUDIT)
            mongo_filter: dict[str, Any] = dict(scope_filter(principal, id_field="agency_id", path_field="agency_path"))
            for field in ("entity_id", "entity_type", "agency_id", "actor"):
                if field in query:
                    mongo_filter[field] = query[field]
            if "since" in query or "until" in query:
                mongo_filter["at"] = {**({"$gte": query["since"]} if "since" in query else {}),
                                      **({"$lt": query["until"]} if "until" in query else {})}
            return fetch_page(AuditRecord._get_collection(), mongo_filter, query, [("at", -1), ("_id", -1)],
                              view=lambda doc: {**doc, "id": doc["_id"]})

    return blp
