"""GET /api/v1/audit: the audit trail of a service, read-only (admins: all; evaluators: their subtree)."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from shared.audit import AuditRecord
from shared.auth.policy import Action, scope_filter
from shared.db import collection
from shared.http.auth import require_role_for
from shared.http.context import database
from shared.http.pagination import PageQuerySchema, fetch_page, page_schema
from shared.text import Text

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
            return fetch_page(collection(database(), AuditRecord), mongo_filter, query, [("at", -1), ("_id", -1)],
                              view=lambda doc: {**doc, "id": doc["_id"]})

    return blp
