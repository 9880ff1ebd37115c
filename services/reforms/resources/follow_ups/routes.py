"""Follow-up actions: agreed at an activity (/activities/{id}/follow-ups), tracked at /follow-ups."""
from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.http.auth import current_principal
from shared.http.etag import IF_MATCH, if_match_version, with_etag
from services.reforms import queries
from services.reforms.commands.follow_ups import create_follow_up, update_follow_up
from services.reforms.resources.common import context, repo
from services.reforms.resources.follow_ups.schemas import (FollowUpCreateSchema, FollowUpListQuerySchema,
                                                           FollowUpListSchema, FollowUpSchema, FollowUpUpdateSchema)

blp = Blueprint("follow_ups", __name__, url_prefix="",
                description="Follow-up actions (rencana tindak lanjut): owner agency, due date, progress.")

ETAG = {"ETag": {"description": "The follow-up's version", "schema": {"type": "string"}}}


@blp.route("/activities/<activity_id>/follow-ups")
class ActivityFollowUps(MethodView):
    @blp.response(200, FollowUpSchema(many=True))
    def get(self, activity_id):
        """The follow-ups agreed at an activity, by due date"""
        return queries.follow_ups_of_activity(current_principal(), repo(), activity_id)

    @blp.arguments(FollowUpCreateSchema)
    @blp.response(201, FollowUpSchema, headers={**ETAG, "Location": {"description": "URL of the follow-up",
                                                                     "schema": {"type": "string"}}})
    @blp.alt_response(409, description="The activity has not taken place (planned) or was cancelled")
    def post(self, fields, activity_id):
        """Agree a follow-up action at an activity in progress or completed"""
        created = create_follow_up(context(), activity_id, fields)
        body, status, headers = with_etag(created, 201)
        return body, status, {**headers, "Location": url_for("follow_ups.FollowUpById", follow_up_id=created["id"])}


@blp.route("/follow-ups")
class FollowUps(MethodView):
    @blp.arguments(FollowUpListQuerySchema, location="query")
    @blp.response(200, FollowUpListSchema)
    def get(self, query):
        """Follow-ups owned in an agency subtree, by due date (`overdue=true`: only the overdue ones)"""
        return queries.list_follow_ups(current_principal(), repo(), query)


@blp.route("/follow-ups/<follow_up_id>")
class FollowUpById(MethodView):
    @blp.response(200, FollowUpSchema, headers=ETAG)
    def get(self, follow_up_id):
        """Get one follow-up"""
        return with_etag(queries.follow_up(current_principal(), repo(), follow_up_id))

    @blp.arguments(FollowUpUpdateSchema)
    @blp.response(200, FollowUpSchema, headers=ETAG)
    @blp.alt_response(409, description="A status change that is not allowed (the problem says what is)")
    @blp.doc(parameters=[IF_MATCH])
    def patch(self, fields, follow_up_id):
        """Report progress (status, note) or change the action, owner or due date"""
        return with_etag(update_follow_up(context(), follow_up_id, fields, if_match_version(required=True)))
