"""Work culture: /instruments, /activities/{id}/surveys, /surveys/{id} with its phases, answers and results, and
/agencies/{id}/culture-index. No route reads anyone's answers: only group results under the survey's k rule."""
from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.contracts.reforms import SURVEY_PHASES
from shared.errors import NotFound
from shared.http.auth import current_principal
from shared.http.etag import IF_MATCH, IF_MATCH_OPTIONAL, if_match_version, with_etag
from services.reforms import queries
from services.reforms.commands.instruments import add_instrument, add_version, update_instrument
from services.reforms.commands.surveys import answer_survey, close_phase, create_survey, open_phase
from services.reforms.resources.common import context, repo
from services.reforms.resources.culture.schemas import (AnswerReceiptSchema, AnswerSchema, CultureIndexQuerySchema,
                                                        CultureIndexSchema, InstrumentCreateSchema, InstrumentSchema,
                                                        InstrumentUpdateSchema, InstrumentVersionSchema,
                                                        SurveyCreateSchema, SurveyListQuerySchema, SurveyResultsSchema,
                                                        SurveySchema)

blp = Blueprint("culture", __name__, url_prefix="",
                description="Work culture: questionnaires on the ASN core values, pre/post surveys of activities, "
                            "their results under the k rule, and the culture index.")

ETAG = {"ETag": {"description": "The record's version", "schema": {"type": "string"}}}
LOCATION = {"Location": {"description": "URL of the new record", "schema": {"type": "string"}}}
CONFLICT = {"description": "The state refuses it (the problem's `kind` says why)"}


def _phase(phase: str) -> str:
    if phase not in SURVEY_PHASES:
        raise NotFound(f"A survey has the phases {' and '.join(SURVEY_PHASES)}, not {phase}.")
    return phase


def _created(state: dict, endpoint: str, **params):
    body, status, headers = with_etag(state, 201)
    return body, status, {**headers, "Location": url_for(endpoint, **params)}


@blp.route("/instruments")
class Instruments(MethodView):
    @blp.response(200, InstrumentSchema(many=True))
    def get(self):
        """Every instrument version, by code and version (the built-in one: berakhlak-1)"""
        return queries.instruments(current_principal(), repo())

    @blp.arguments(InstrumentCreateSchema)
    @blp.response(201, InstrumentSchema, headers={**ETAG, **LOCATION})
    @blp.alt_response(409, description="The code is taken")
    def post(self, fields):
        """Add an instrument (admins): Likert items (1–5) in dimensions, reverse-scored items allowed"""
        created = add_instrument(context(), fields)
        return _created(created, "culture.InstrumentById", instrument_id=created["id"])


@blp.route("/instruments/<code>/versions")
class InstrumentVersions(MethodView):
    @blp.arguments(InstrumentVersionSchema)
    @blp.response(201, InstrumentSchema, headers={**ETAG, **LOCATION})
    def post(self, fields, code):
        """Add the next version of an instrument (admins), its whole definition"""
        created = add_version(context(), code, fields)
        return _created(created, "culture.InstrumentById", instrument_id=created["id"])


@blp.route("/instruments/<instrument_id>")
class InstrumentById(MethodView):
    @blp.response(200, InstrumentSchema, headers=ETAG)
    def get(self, instrument_id):
        """One instrument version with its items"""
        return with_etag(queries.instrument(current_principal(), repo(), instrument_id))

    @blp.arguments(InstrumentUpdateSchema)
    @blp.response(200, InstrumentSchema, headers=ETAG)
    @blp.alt_response(409, description="A survey uses this version (instrument-in-use): add a new version")
    @blp.doc(parameters=[IF_MATCH])
    def patch(self, fields, instrument_id):
        """Change a version no survey uses yet (admins)"""
        return with_etag(update_instrument(context(), instrument_id, fields, if_match_version(required=True)))


@blp.route("/activities/<activity_id>/surveys")
class ActivitySurveys(MethodView):
    @blp.response(200, SurveySchema(many=True))
    def get(self, activity_id):
        """The surveys of an activity"""
        return queries.surveys_of_activity(current_principal(), repo(), activity_id)

    @blp.arguments(SurveyCreateSchema)
    @blp.response(201, SurveySchema, headers={**ETAG, **LOCATION})
    @blp.alt_response(409, **CONFLICT)
    def post(self, fields, activity_id):
        """Attach an instrument to an activity (its organiser), with the k of its results"""
        created = create_survey(context(), activity_id, fields)
        return _created(created, "culture.SurveyById", survey_id=created["id"])


@blp.route("/surveys")
class Surveys(MethodView):
    @blp.arguments(SurveyListQuerySchema, location="query")
    @blp.response(200, SurveySchema(many=True))
    def get(self, query):
        """The year's surveys of activities organised in an agency subtree (default: the caller's), latest first"""
        return queries.list_surveys(current_principal(), repo(), query.get("agency_id"), query["year"])


@blp.route("/surveys/<survey_id>")
class SurveyById(MethodView):
    @blp.response(200, SurveySchema, headers=ETAG)
    def get(self, survey_id):
        """A survey: its phases and how many answered each"""
        return with_etag(queries.readable_survey(current_principal(), repo(), survey_id))


@blp.route("/surveys/<survey_id>/phases/<phase>/open")
class PhaseOpen(MethodView):
    @blp.response(200, SurveySchema, headers=ETAG)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(parameters=[IF_MATCH_OPTIONAL])
    def post(self, survey_id, phase):
        """Open `pre` (before the activity ends) or `post` (once it has started and pre is closed)"""
        return with_etag(open_phase(context(), survey_id, _phase(phase), if_match_version(required=False)))


@blp.route("/surveys/<survey_id>/phases/<phase>/close")
class PhaseClose(MethodView):
    @blp.response(200, SurveySchema, headers=ETAG)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(parameters=[IF_MATCH_OPTIONAL])
    def post(self, survey_id, phase):
        """Close a phase for good: its aggregates go out in kinerja.survey.closed.v1 (post feeds indicators)"""
        return with_etag(close_phase(context(), survey_id, _phase(phase), if_match_version(required=False)))


@blp.route("/surveys/<survey_id>/phases/<phase>/answers")
class PhaseAnswers(MethodView):
    @blp.arguments(AnswerSchema)
    @blp.response(201, AnswerReceiptSchema)
    @blp.alt_response(403, description="Not a registered participant (the token's subject is not their NIP)")
    @blp.alt_response(409, description="Answered already, or the phase takes no answers")
    def post(self, fields, survey_id, phase):
        """Answer a phase, once, as a registered participant (any role; the token's subject is the NIP)"""
        return answer_survey(context(), survey_id, _phase(phase), fields["answers"]), 201


@blp.route("/surveys/<survey_id>/results")
class SurveyResults(MethodView):
    @blp.response(200, SurveyResultsSchema)
    def get(self, survey_id):
        """Pre/post means per dimension, the paired change with its 95 % interval, and per agency (k rule)"""
        return queries.survey_results(current_principal(), repo(), survey_id)


@blp.route("/agencies/<agency_id>/culture-index")
class CultureIndex(MethodView):
    @blp.arguments(CultureIndexQuerySchema, location="query")
    @blp.response(200, CultureIndexSchema)
    def get(self, query, agency_id):
        """The agency's culture index for a year: the latest closed post phase over its subtree's people"""
        return queries.culture_index(current_principal(), repo(), agency_id, query["year"], query.get("instrument"))
