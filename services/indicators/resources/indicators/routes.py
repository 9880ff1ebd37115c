"""/api/v1/indicators: indicators, their targets and their realisations."""
from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.http.auth import current_principal
from shared.http.etag import IF_MATCH, IF_MATCH_OPTIONAL, if_match_version, with_etag
from services.indicators import queries
from services.indicators.commands.indicators import define_indicator, retire_indicator, set_target, update_indicator
from services.indicators.commands.realisations import (record_realisation, reject_realisation, reopen_realisation,
                                                       submit_realisation, verify_realisation)
from services.indicators.resources.common import context, repo
from services.indicators.resources.indicators.schemas import (CascadeSchema, IndicatorCreateSchema,
                                                              IndicatorListQuerySchema, IndicatorPageSchema,
                                                              IndicatorSchema, IndicatorUpdateSchema,
                                                              RealisationInputSchema, RealisationSchema, ReasonSchema,
                                                              TargetHistorySchema, TargetInputSchema)

blp = Blueprint("indicators", __name__, url_prefix="/indicators",
                description="Performance indicators (IKU, IKK), their targets and realisations.")

CONFLICT = {"description": "Refused by the workflow, a retired indicator or a locked period (the problem says which)"}
ETAG = {"ETag": {"description": "The version", "schema": {"type": "string"}}}


@blp.route("")
class Indicators(MethodView):
    @blp.arguments(IndicatorListQuerySchema, location="query")
    @blp.response(200, IndicatorPageSchema)
    def get(self, query):
        """List indicators the caller may read (by agency or subtree, category, status, text)"""
        return queries.list_indicators(current_principal(), repo(), query)

    @blp.arguments(IndicatorCreateSchema, example={
        "agency_id": "<work unit id>", "code": "IKU-01", "name": "Indeks Kepuasan Masyarakat", "unit": "index",
        "polarity": "higher_is_better", "frequency": "annual", "weight": 2, "category": "IKU"})
    @blp.response(201, IndicatorSchema, headers={**ETAG, "Location": {"description": "URL of the new indicator",
                                                                      "schema": {"type": "string"}}})
    @blp.alt_response(409, description="The agency already has an indicator with this code")
    def post(self, fields):
        """Define an indicator of an active agency"""
        created = define_indicator(context(), fields)
        body, status, headers = with_etag(created, 201)
        return body, status, {**headers, "Location": url_for("indicators.IndicatorById", indicator_id=created["id"])}


@blp.route("/<indicator_id>")
class IndicatorById(MethodView):
    @blp.response(200, IndicatorSchema, headers=ETAG)
    def get(self, indicator_id):
        """Get one indicator"""
        return with_etag(queries.readable_indicator(current_principal(), repo(), indicator_id))

    @blp.arguments(IndicatorUpdateSchema)
    @blp.response(200, IndicatorSchema, headers=ETAG)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(parameters=[IF_MATCH])
    def patch(self, fields, indicator_id):
        """Change an indicator's name, definition, unit, baseline, weight, category or reform feed"""
        return with_etag(update_indicator(context(), indicator_id, fields, if_match_version(required=True)))


@blp.route("/<indicator_id>/retire")
class IndicatorRetire(MethodView):
    @blp.arguments(ReasonSchema)
    @blp.response(200, IndicatorSchema, headers=ETAG)
    @blp.doc(parameters=[IF_MATCH_OPTIONAL])
    def post(self, fields, indicator_id):
        """Retire an indicator (it stays readable; it takes no more targets or realisations)"""
        return with_etag(retire_indicator(context(), indicator_id, fields["reason"], if_match_version(required=False)))


@blp.route("/<indicator_id>/cascade")
class IndicatorCascade(MethodView):
    @blp.response(200, CascadeSchema)
    def get(self, indicator_id):
        """The indicator and the indicators that support it below (pohon kinerja), nested"""
        return queries.cascade(current_principal(), repo(), indicator_id)


@blp.route("/<indicator_id>/targets")
class IndicatorTargets(MethodView):
    @blp.response(200, TargetHistorySchema)
    def get(self, indicator_id):
        """Current targets by period, and every revision"""
        return queries.target_history(current_principal(), repo(), indicator_id)


@blp.route("/<indicator_id>/targets/<period>")
class IndicatorTarget(MethodView):
    @blp.arguments(TargetInputSchema, example={"min": 80, "max": 90, "reason": None})
    @blp.response(200, IndicatorSchema, headers=ETAG)
    @blp.alt_response(409, **CONFLICT)
    def put(self, fields, indicator_id, period):
        """Set a period's target (a value or a range); setting it again is a revision with a reason"""
        target = {k: fields.get(k) for k in ("value", "min", "max")}
        return with_etag(set_target(context(), indicator_id, period, target, fields.get("reason")))


@blp.route("/<indicator_id>/realisations")
class IndicatorRealisations(MethodView):
    @blp.response(200, RealisationSchema(many=True))
    def get(self, indicator_id):
        """Every realisation of the indicator, by period"""
        return queries.realisations_of(current_principal(), repo(), indicator_id)


@blp.route("/<indicator_id>/realisations/<period>")
class IndicatorRealisation(MethodView):
    @blp.response(200, RealisationSchema, headers=ETAG)
    def get(self, indicator_id, period):
        """One period's realisation, with its history and whether its period is locked"""
        return with_etag(queries.realisation_of(current_principal(), repo(), indicator_id, period))

    @blp.arguments(RealisationInputSchema, example={"value": 82.5, "evidence": [
        {"title": "Laporan survei IKM 2025", "link": "https://example.go.id/ikm-2025.pdf"}], "note": "Survei semester II"})
    @blp.response(200, RealisationSchema, headers=ETAG)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(parameters=[IF_MATCH_OPTIONAL])
    def put(self, fields, indicator_id, period):
        """Record the period's realisation as a draft (value, evidence, note)"""
        return with_etag(record_realisation(context(), indicator_id, period, fields, if_match_version(required=False)))


def _transition(name: str, command, summary: str, with_reason: bool):
    class Transition(MethodView):
        @blp.response(200, RealisationSchema, headers=ETAG)
        @blp.alt_response(409, **CONFLICT)
        @blp.doc(parameters=[IF_MATCH_OPTIONAL], summary=summary)
        def post(self, indicator_id, period):
            return with_etag(command(context(), indicator_id, period, if_match_version(required=False)))

    class ReasonedTransition(MethodView):
        @blp.arguments(ReasonSchema)
        @blp.response(200, RealisationSchema, headers=ETAG)
        @blp.alt_response(409, **CONFLICT)
        @blp.doc(parameters=[IF_MATCH_OPTIONAL], summary=summary)
        def post(self, fields, indicator_id, period):
            return with_etag(command(context(), indicator_id, period, fields["reason"],
                                     if_match_version(required=False)))

    view = ReasonedTransition if with_reason else Transition
    view.__name__ = f"Realisation{name.capitalize()}"
    blp.route(f"/<indicator_id>/realisations/<period>/{name}")(view)


_transition("submit", submit_realisation, "Submit the draft for verification (operators)", with_reason=False)
_transition("verify", verify_realisation, "Verify a submitted realisation (evaluators; never one's own)", False)
_transition("reject", reject_realisation, "Reject a submitted realisation, with a reason (never one's own)", True)
_transition("reopen", reopen_realisation, "Reopen a verified or rejected realisation as a draft, with a reason", True)
