"""The replica of the agency tree kept by the indicators and reforms services.

Both services need the same facts about agencies (to scope data and check existence) and neither may
read the agencies database, so the replica, its event handlers and its read-only endpoint live here once.
"""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields
from mongoengine import Document, IntField, ListField, StringField

from shared.auth.directory import ref_of
from shared.auth.flask_auth import require
from shared.auth.policy import Action
from shared.contracts.agencies import TOPIC, AgencySnapshot
from shared.errors import NotFound
from shared.replicas.snapshots import SnapshotReplica


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


AGENCY_REPLICA = SnapshotReplica(AgencyReplica, TOPIC, "agency")


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
                raise NotFound(f"No agency {agency_id} is known to this service.")
            require(Action.READ, ref_of(doc))
            doc["id"] = doc.pop("_id")
            return doc

    return blp
