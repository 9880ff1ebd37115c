"""The replica of the agency tree kept by the indicators and reforms services.

Both services need the same facts about agencies (to scope data and check existence) and neither may
read the agencies database, so the replica, its event handlers and its read-only endpoint live here once.
"""
from __future__ import annotations

from typing import Iterable

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

TREE_FIELDS = {"code": 1, "name": 1, "short_name": 1, "type": 1, "status": 1, "parent_id": 1, "path": 1}


class AgencyReplicaReads:
    """The questions a service's repository asks its replica of the agency tree (agencies as public
    states: `id` instead of `_id`)."""

    @staticmethod
    def agency(agency_id: str) -> dict | None:
        doc = AgencyReplica._get_collection().find_one({"_id": agency_id})
        return None if doc is None else {"id": doc.pop("_id"), **doc}

    @staticmethod
    def agencies(agency_ids: Iterable[str]) -> dict[str, dict]:
        docs = AgencyReplica._get_collection().find({"_id": {"$in": list(set(agency_ids))}})
        return {doc["_id"]: {"id": doc["_id"], **doc} for doc in docs}

    @staticmethod
    def children(agency_id: str) -> list[dict]:
        docs = AgencyReplica._get_collection().find({"parent_id": agency_id}).sort("code", 1)
        return [{"id": doc["_id"], **doc} for doc in docs]

    @staticmethod
    def subtree(agency_id: str) -> list[dict]:
        """The agency and every agency below it: code, name, type, status, parent and path."""
        docs = AgencyReplica._get_collection().find({"$or": [{"_id": agency_id}, {"path": agency_id}]}, TREE_FIELDS)
        return [{"id": doc.pop("_id"), **doc} for doc in docs]

    @staticmethod
    def subtree_ids(agency_id: str) -> list[str]:
        docs = AgencyReplica._get_collection().find({"$or": [{"_id": agency_id}, {"path": agency_id}]}, {"_id": 1})
        return [doc["_id"] for doc in docs]


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
