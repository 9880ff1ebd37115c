"""/api/v1/performance-agreements: Perjanjian Kinerja — drafted, signed, revised; every version readable."""
from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.http.auth import current_principal
from shared.http.etag import IF_MATCH, IF_MATCH_OPTIONAL, if_match_version, with_etag
from services.indicators import queries
from services.indicators.commands.agreements import draft_agreement, revise_agreement, sign_agreement, update_draft
from services.indicators.resources.agreements.schemas import (AgreementCreateSchema, AgreementPageSchema,
                                                              AgreementQuerySchema, AgreementRevisionSchema,
                                                              AgreementSchema, ContentSchema, VersionSchema)
from services.indicators.resources.common import context, repo

blp = Blueprint("performance_agreements", __name__, url_prefix="/performance-agreements",
                description="Perjanjian Kinerja: the year's objectives, indicators and targets an agency's head "
                            "signs with the superior; once signed, targets change only through a revision.")
ETAG = {"ETag": {"description": "The version", "schema": {"type": "string"}}}
CONFLICT = {"description": "Signed already, still a draft, or its year is locked (the problem says which)"}


def shown(agreement: dict) -> dict:
    return queries.agreement_view(agreement)


@blp.route("")
class Agreements(MethodView):
    @blp.arguments(AgreementQuerySchema, location="query")
    @blp.response(200, AgreementPageSchema)
    def get(self, query):
        """Agreements the caller may read (by agency or subtree, year, status)"""
        return queries.list_agreements(current_principal(), repo(), query)

    @blp.arguments(AgreementCreateSchema, example={
        "agency_id": "<work unit id>", "year": 2025, "objectives": [
            {"objective_id": "<plan id>:S1", "indicators": [
                {"indicator_id": "<indicator id>", "target": {"value": 12},
                 "quarterly_targets": {"Q1": {"value": 2}, "Q2": {"value": 3}, "Q3": {"value": 4},
                                       "Q4": {"value": 3}}}]}],
        "budget": [{"programme": "Program Penunjang Urusan Pemerintahan Daerah", "amount": 1250000000}]})
    @blp.response(201, AgreementSchema, headers=ETAG)
    @blp.alt_response(409, description="The agency has an agreement for this year already")
    def post(self, fields):
        """Draft the year's agreement of an active agency"""
        created = shown(draft_agreement(context(), fields))
        body, status, headers = with_etag(created, 201)
        return body, status, {**headers, "Location": url_for("performance_agreements.AgreementById",
                                                             agreement_id=created["id"])}


@blp.route("/<agreement_id>")
class AgreementById(MethodView):
    @blp.response(200, AgreementSchema, headers=ETAG)
    def get(self, agreement_id):
        """One agreement: the version in force, the draft, every version's number, the history"""
        return with_etag(shown(queries.readable_agreement(current_principal(), repo(), agreement_id)))

    @blp.arguments(ContentSchema)
    @blp.response(200, AgreementSchema, headers=ETAG)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(parameters=[IF_MATCH])
    def patch(self, fields, agreement_id):
        """Change a draft's objectives, targets, budget or signatories"""
        return with_etag(shown(update_draft(context(), agreement_id, fields, if_match_version(required=True))))


@blp.route("/<agreement_id>/sign")
class AgreementSign(MethodView):
    @blp.response(200, AgreementSchema, headers=ETAG)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(parameters=[IF_MATCH])
    def post(self, agreement_id):
        """Sign the draft as last read (If-Match): version 1 is in force and its targets are set on its indicators"""
        return with_etag(shown(sign_agreement(context(), agreement_id, if_match_version(required=True))))


@blp.route("/<agreement_id>/revisions")
class AgreementRevisions(MethodView):
    @blp.arguments(AgreementRevisionSchema)
    @blp.response(201, AgreementSchema, headers=ETAG)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(parameters=[IF_MATCH_OPTIONAL])
    def post(self, fields, agreement_id):
        """Revise a signed agreement (PK perubahan): a new version in force, with its reason"""
        return with_etag(shown(revise_agreement(context(), agreement_id, fields, if_match_version(required=False))),
                         201)


@blp.route("/<agreement_id>/versions/<int:number>")
class AgreementVersion(MethodView):
    @blp.response(200, VersionSchema)
    def get(self, agreement_id, number):
        """One signed version, as it was signed"""
        return queries.agreement_version(current_principal(), repo(), agreement_id, number)
