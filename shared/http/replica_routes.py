"""GET /api/v1/agencies/{id} in the services that keep a replica of the registry: an agency as this service
knows it (shared.replicas.agencies), to see whether an event has arrived yet."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from shared.auth.directory import ref_of
from shared.auth.policy import Action
from shared.contracts.agencies import AgencySnapshot
from shared.db import collection
from shared.errors import NotFound
from shared.http.auth import require
from shared.http.context import database
from shared.replicas.agencies import AgencyReplica


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
            doc = collection(database(), AgencyReplica).find_one({"_id": agency_id})
            if doc is None:
                raise NotFound(f"No agency {agency_id} is known to this service.")
            require(Action.READ, ref_of(doc))
            doc["id"] = doc.pop("_id")
            return doc

    return blp
