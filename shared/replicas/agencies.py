"""The replica of the agency tree kept by the indicators and reforms services.

Both services need the same facts about agencies (to scope data and check existence) and
neither may read the agencies database, so the replica, its event handlers and its read-only
endpoint live here once.
"""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields
from mongoengine import Document, IntField, ListField, StringField

from shared.auth.flask_auth import require
from shared.auth.directory import ref_of
from shared.auth.policy import Action
from shared.contracts.agencies import SNAPSHOT_EVENTS, AgencySnapshot
from shared.events.consumer import HandlerRegistry
from shared.events.envelope import Event
from shared.http.problems import Problem
from shared.projections import apply_if_newer


class AgencyReplica(Document):
    meta = {"collection": "agency_replica", "indexes": ["parent_id", "path", "code"]}

    id = StringField(primary_key=True)
    code = StringField(required=True)
    name = StringField(required=True)
    short_name = StringField(null=True)
    type = StringField(required=True)
    parent_id = StringField(null=True)
    path = ListField(StringField())
    status = StringField(required=True)
    sequence = IntField(required=True)
    events_applied = IntField()
    updated_at = StringField()  # time of the event this replica reflects (ISO 8601)


def _project_snapshot(event: Event, data: dict) -> None:
    snapshot = dict(data["agency"])
    agency_id = snapshot.pop("id")
    apply_if_newer(AgencyReplica._get_collection(), agency_id, event.sequence,
                   {**snapshot, "updated_at": event.time})


def register_agency_replica(registry: HandlerRegistry) -> None:
    # Every agency event carries the full snapshot, so one projection serves them all.
    for contract in SNAPSHOT_EVENTS:
        registry.on(contract, _project_snapshot)


class AgencyReplicaSchema(AgencySnapshot):
    """The snapshot every agency event carries (the contract), plus the version it reflects."""

    sequence = fields.Integer(metadata={"description": "Version of the agency this replica reflects"})


def agency_replica_blueprint() -> Blueprint:
    blp = Blueprint("agencies", __name__, url_prefix="/agencies",
                    description="Read-only replica of the agency registry, kept from agency events.")

    @blp.route("/<agency_id>")
    class AgencyReplicaById(MethodView):
        @blp.response(200, AgencyReplicaSchema)
        def get(self, agency_id: str):
            """Get an agency as this service knows it"""
            doc = AgencyReplica._get_collection().find_one({"_id": agency_id})
            if doc is None:
                raise Problem(404, f"No agency {agency_id} is known to this service.")
            require(Action.READ, ref_of(doc))
            doc["id"] = doc.pop("_id")
            return doc

    return blp
