"""/api/v1/outbox: events the relay gave up on (admins only). They hold back only their own
aggregate's later events; after the cause is fixed, an admin retries them here or with
`kinerja outbox retry`."""
from __future__ import annotations

from typing import Iterable

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from mongoengine import Document

from shared.db import collection
from shared.http.auth import current_principal
from shared.http.context import database
from shared.auth.policy import Action, authorize
from shared.store.outbox import failed_events, retry_failed


class FailedEventSchema(Schema):
    aggregate_id = fields.String()
    event_id = fields.String()
    type = fields.String()
    sequence = fields.Integer()
    attempts = fields.Integer()
    error = fields.String(allow_none=True)
    failed_at = fields.AwareDateTime(allow_none=True)


class RetrySchema(Schema):
    aggregate_ids = fields.List(fields.String(validate=validate.Length(min=1, max=64)), load_default=None,
                                validate=validate.Length(max=1000),
                                metadata={"description": "Only these aggregates (default: every failed one)"})


class RetryReportSchema(Schema):
    retried = fields.Integer(metadata={"description": "Aggregates whose failed event is due again"})


def outbox_blueprint(documents: Iterable[type[Document]]) -> Blueprint:
    documents = tuple(documents)
    blp = Blueprint("outbox", __name__, url_prefix="/outbox",
                    description="Events the relay could not publish (admins only).")

    @blp.route("/failed")
    class FailedEvents(MethodView):
        @blp.response(200, FailedEventSchema(many=True))
        def get(self):
            """List events marked failed, with their error"""
            authorize(current_principal(), Action.WRITE, None)
            return [event for document in documents for event in failed_events(collection(database(), document))]

    @blp.route("/failed/retry")
    class RetryFailedEvents(MethodView):
        @blp.arguments(RetrySchema, required=False)
        @blp.response(200, RetryReportSchema)
        def post(self, body):
            """Make failed events due again (after fixing their cause)"""
            authorize(current_principal(), Action.WRITE, None)
            selected = (body or {}).get("aggregate_ids")
            return {"retried": sum(retry_failed(collection(database(), d), selected) for d in documents)}

    return blp
