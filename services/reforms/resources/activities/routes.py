"""/api/v1/activities: reform activities, their lifecycle, participants and attendance."""
from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.http.auth import current_principal
from shared.http.etag import IF_MATCH, IF_MATCH_OPTIONAL, etag_headers, if_match_version, with_etag
from services.reforms import queries
from services.reforms.commands.activities import (cancel_activity, complete_activity, plan_activity, start_activity,
                                                  update_activity)
from services.reforms.commands.participants import mark_attendance, register_participants, remove_participant
from services.reforms.resources.activities.schemas import (ActivityCreateSchema, ActivityListQuerySchema,
                                                           ActivityPageSchema, ActivitySchema, ActivityUpdateSchema,
                                                           AttendanceSchema, CompleteSchema, ParticipantListSchema,
                                                           ReasonSchema, RegistrationSchema)
from services.reforms.resources.common import context, repo

blp = Blueprint("activities", __name__, url_prefix="/activities",
                description="Reform activities: plan, register participants, run, record attendance, complete.")

ETAG = {"ETag": {"description": "The activity's version", "schema": {"type": "string"}}}
CONFLICT = {"description": "Not allowed in the activity's current state (the problem says what is), or a duplicate"}


def _activity(state: dict, status: int = 200):
    return with_etag(queries.present(repo(), state), status)


def _participants(state: dict, status: int = 200):
    return queries.participants_of(state), status, etag_headers(state["version"])


@blp.route("")
class Activities(MethodView):
    @blp.arguments(ActivityListQuerySchema, location="query")
    @blp.response(200, ActivityPageSchema)
    def get(self, query):
        """List activities the caller may read: by organiser (and subtree), area, kind, status, year, dates,
        participant agency or title; in date order"""
        return queries.list_activities(current_principal(), repo(), query)

    @blp.arguments(ActivityCreateSchema, example={
        "title": "FGD Mengubah Tata Pikir (mind set) Pimpinan SKPD untuk Menciptakan Budaya Kerja Baru",
        "kind": "fgd", "area": "manajemen_perubahan", "organiser_agency_id": "<regency id>",
        "facilitator": {"agency_id": "<LAN deputy id>"}, "start": "2025-01-30T08:00:00+07:00",
        "end": "2025-01-30T16:00:00+07:00", "venue": "Jl. Veteran No. 10, Jakarta Pusat", "planned_participants": 22})
    @blp.response(201, ActivitySchema, headers={**ETAG, "Location": {"description": "URL of the new activity",
                                                                     "schema": {"type": "string"}}})
    def post(self, fields):
        """Plan an activity of an active agency (end after start; linked indicators active)"""
        body, status, headers = _activity(plan_activity(context(), fields), 201)
        return body, status, {**headers, "Location": url_for("activities.ActivityById", activity_id=body["id"])}


@blp.route("/<activity_id>")
class ActivityById(MethodView):
    @blp.response(200, ActivitySchema, headers=ETAG)
    def get(self, activity_id):
        """Get one activity (its participants: /participants)"""
        return with_etag(queries.activity(current_principal(), repo(), activity_id))

    @blp.arguments(ActivityUpdateSchema)
    @blp.response(200, ActivitySchema, headers=ETAG)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(parameters=[IF_MATCH])
    def patch(self, fields, activity_id):
        """Change an open (planned or in progress) activity"""
        return _activity(update_activity(context(), activity_id, fields, if_match_version(required=True)))


@blp.route("/<activity_id>/start")
class ActivityStart(MethodView):
    @blp.response(200, ActivitySchema, headers=ETAG)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(parameters=[IF_MATCH_OPTIONAL])
    def post(self, activity_id):
        """Start a planned activity"""
        return _activity(start_activity(context(), activity_id, if_match_version(required=False)))


@blp.route("/<activity_id>/complete")
class ActivityComplete(MethodView):
    @blp.arguments(CompleteSchema)
    @blp.response(200, ActivitySchema, headers=ETAG)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(parameters=[IF_MATCH_OPTIONAL])
    def post(self, fields, activity_id):
        """Complete an activity in progress, with its summary and outcomes (linked indicators count it)"""
        return _activity(complete_activity(context(), activity_id, fields["summary"], fields["outcomes"],
                                           if_match_version(required=False)))


@blp.route("/<activity_id>/cancel")
class ActivityCancel(MethodView):
    @blp.arguments(ReasonSchema)
    @blp.response(200, ActivitySchema, headers=ETAG)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(parameters=[IF_MATCH_OPTIONAL])
    def post(self, fields, activity_id):
        """Cancel a planned or running activity, with a reason"""
        return _activity(cancel_activity(context(), activity_id, fields["reason"], if_match_version(required=False)))


@blp.route("/<activity_id>/participants")
class ActivityParticipants(MethodView):
    @blp.response(200, ParticipantListSchema, headers=ETAG)
    def get(self, activity_id):
        """The participants, their attendance, and the counts planned / registered / attended"""
        activity = queries.readable_activity(current_principal(), repo(), activity_id)
        return _participants(activity)

    @blp.arguments(RegistrationSchema, example={"participants": [
        {"agency_id": "<work unit id>", "name": "Siti Rahmawati", "position": "Kepala Dinas Kesehatan"}]})
    @blp.response(201, ParticipantListSchema, headers=ETAG)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(parameters=[IF_MATCH_OPTIONAL])
    def post(self, fields, activity_id):
        """Register one or many people (each from an active agency): all of them, or none"""
        return _participants(register_participants(context(), activity_id, fields["participants"],
                                                   if_match_version(required=False)), 201)


@blp.route("/<activity_id>/participants/<participant_id>")
class ActivityParticipant(MethodView):
    @blp.response(200, ParticipantListSchema, headers=ETAG)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(parameters=[IF_MATCH_OPTIONAL])
    def delete(self, activity_id, participant_id):
        """Withdraw a registration while the activity is open"""
        return _participants(remove_participant(context(), activity_id, participant_id,
                                                if_match_version(required=False)))


@blp.route("/<activity_id>/attendance")
class ActivityAttendance(MethodView):
    @blp.arguments(AttendanceSchema)
    @blp.response(200, ParticipantListSchema, headers=ETAG)
    @blp.alt_response(409, **CONFLICT)
    @blp.doc(parameters=[IF_MATCH_OPTIONAL])
    def post(self, fields, activity_id):
        """Mark participants as attended or absent (while the activity is in progress)"""
        return _participants(mark_attendance(context(), activity_id, fields["attended"], fields["absent"],
                                             if_match_version(required=False)))
