"""/api/v1/agencies: the agency registry."""
from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.auth.flask_auth import require
from shared.auth.policy import Action, AgencyRef
from shared.http.etag import etag_headers
from shared.http.problems import Problem
from services.agencies.adapters.documents import Agency
from services.agencies.commands import register_agency
from services.agencies.resources.agencies.schemas import AgencyCreateSchema, AgencySchema

blp = Blueprint("agencies", __name__, url_prefix="/agencies", description="The registry of government agencies.")


@blp.route("")
class Agencies(MethodView):
    @blp.arguments(AgencyCreateSchema)
    @blp.response(201, AgencySchema, headers={"Location": {"description": "URL of the new agency",
                                                           "schema": {"type": "string"}}})
    @blp.alt_response(409, description="An agency with this code already exists")
    def post(self, fields):
        """Register an agency"""
        agency = register_agency(fields)
        headers = {"Location": url_for("agencies.AgencyById", agency_id=agency.id), **etag_headers(agency.version)}
        return agency, 201, headers


@blp.route("/<agency_id>")
class AgencyById(MethodView):
    @blp.response(200, AgencySchema)
    def get(self, agency_id):
        """Get one agency"""
        agency = Agency.objects(id=agency_id).exclude("outbox", "audit_pending").first()
        if agency is None:
            raise Problem(404, f"No agency {agency_id}.")
        require(Action.READ, AgencyRef(agency.id, tuple(agency.path), agency.status))
        return agency, 200, etag_headers(agency.version)
