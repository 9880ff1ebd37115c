"""/api/v1/plans: strategic plans (Renstra) — goals, objectives, their indicators and yearly targets."""
from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.http.auth import current_principal
from shared.http.etag import IF_MATCH, IF_MATCH_OPTIONAL, if_match_version, with_etag
from services.indicators import queries
from services.indicators.commands.plans import archive_plan, create_plan, update_plan
from services.indicators.resources.common import context, repo
from services.indicators.resources.indicators.schemas import ReasonSchema
from services.indicators.resources.plans.schemas import (PlanCreateSchema, PlanPageSchema, PlanQuerySchema, PlanSchema,
                                                         PlanUpdateSchema)

blp = Blueprint("plans", __name__, url_prefix="/plans",
                description="Strategic plans (Renstra): goals → strategic objectives → indicators with baseline, "
                            "yearly and end-of-plan targets.")
ETAG = {"ETag": {"description": "The version", "schema": {"type": "string"}}}


@blp.route("")
class Plans(MethodView):
    @blp.arguments(PlanQuerySchema, location="query")
    @blp.response(200, PlanPageSchema)
    def get(self, query):
        """Plans the caller may read (by agency, year covered, status)"""
        return queries.list_plans(current_principal(), repo(), query)

    @blp.arguments(PlanCreateSchema, example={
        "agency_id": "<agency id>", "name": "Renstra 2025–2029", "start_year": 2025, "end_year": 2029, "goals": [
            {"code": "T1", "name": "Meningkatnya kualitas pelayanan publik", "objectives": [
                {"code": "S1", "name": "Meningkatnya kepuasan masyarakat", "indicators": [
                    {"indicator_id": "<indicator id>", "baseline": {"value": 76, "year": 2024},
                     "targets": {"2025": 78, "2026": 80}, "end_target": 85}]}]}]})
    @blp.response(201, PlanSchema, headers=ETAG)
    @blp.alt_response(409, description="Another active plan of the agency covers some of these years")
    def post(self, fields):
        """Draw up an agency's strategic plan"""
        created = create_plan(context(), fields)
        body, status, headers = with_etag(created, 201)
        return body, status, {**headers, "Location": url_for("plans.PlanById", plan_id=created["id"])}


@blp.route("/<plan_id>")
class PlanById(MethodView):
    @blp.response(200, PlanSchema, headers=ETAG)
    def get(self, plan_id):
        """One plan, with its history"""
        return with_etag(queries.readable_plan(current_principal(), repo(), plan_id))

    @blp.arguments(PlanUpdateSchema)
    @blp.response(200, PlanSchema, headers=ETAG)
    @blp.doc(parameters=[IF_MATCH])
    def patch(self, fields, plan_id):
        """Change a plan's name, years or its whole tree of goals (objectives keep their ids by code)"""
        return with_etag(update_plan(context(), plan_id, fields, if_match_version(required=True)))


@blp.route("/<plan_id>/archive")
class PlanArchive(MethodView):
    @blp.arguments(ReasonSchema)
    @blp.response(200, PlanSchema, headers=ETAG)
    @blp.doc(parameters=[IF_MATCH_OPTIONAL])
    def post(self, fields, plan_id):
        """Archive a plan (it stays readable; scorecards no longer compare with it)"""
        return with_etag(archive_plan(context(), plan_id, fields["reason"], if_match_version(required=False)))
