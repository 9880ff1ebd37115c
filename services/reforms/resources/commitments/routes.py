"""Change commitments: made at an activity (/activities/{id}/commitments), followed at /commitments."""
from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.http.auth import current_principal
from shared.http.etag import IF_MATCH, with_etag, if_match_version
from services.reforms import queries
from services.reforms.commands.commitments import make_commitment, update_commitment, update_milestone
from services.reforms.resources.common import context, repo
from services.reforms.resources.commitments.schemas import (CommitmentCreateSchema, CommitmentListQuerySchema,
                                                            CommitmentListSchema, CommitmentSchema,
                                                            CommitmentUpdateSchema, MilestoneUpdateSchema)

blp = Blueprint("commitments", __name__, url_prefix="",
                description="Change commitments (aksi perubahan): a participant's action in milestones, with a "
                            "mentor; overdue milestones appear in the overdue follow-up list too.")

ETAG = {"ETag": {"description": "The commitment's version", "schema": {"type": "string"}}}


def _shown(state: dict, status: int = 200):
    return with_etag(queries.with_overdue(state), status)


@blp.route("/activities/<activity_id>/commitments")
class ActivityCommitments(MethodView):
    @blp.response(200, CommitmentSchema(many=True))
    def get(self, activity_id):
        """The change commitments made at an activity, by participant name"""
        return [queries.with_overdue(c) for c in queries.commitments_of_activity(current_principal(), repo(),
                                                                                 activity_id)]

    @blp.arguments(CommitmentCreateSchema)
    @blp.response(201, CommitmentSchema, headers={**ETAG, "Location": {"description": "URL of the commitment",
                                                                       "schema": {"type": "string"}}})
    @blp.alt_response(409, description="The activity has not taken place, or the participant has committed already")
    def post(self, fields, activity_id):
        """A participant's commitment (by the participant, or an operator of their agency or of the organiser)"""
        created = make_commitment(context(), activity_id, fields)
        body, status, headers = _shown(created, 201)
        return body, status, {**headers, "Location": url_for("commitments.CommitmentById", commitment_id=created["id"])}


@blp.route("/commitments")
class Commitments(MethodView):
    @blp.arguments(CommitmentListQuerySchema, location="query")
    @blp.response(200, CommitmentListSchema)
    def get(self, query):
        """Change commitments of an agency subtree's people, earliest open due date first"""
        return queries.list_commitments(current_principal(), repo(), query)


@blp.route("/commitments/<commitment_id>")
class CommitmentById(MethodView):
    @blp.response(200, CommitmentSchema, headers=ETAG)
    def get(self, commitment_id):
        """One change commitment with its milestones"""
        return with_etag(queries.commitment(current_principal(), repo(), commitment_id))

    @blp.arguments(CommitmentUpdateSchema)
    @blp.response(200, CommitmentSchema, headers=ETAG)
    @blp.doc(parameters=[IF_MATCH])
    def patch(self, fields, commitment_id):
        """Change the action, its description or mentor, or add milestones"""
        return _shown(update_commitment(context(), commitment_id, fields, if_match_version(required=True)))


@blp.route("/commitments/<commitment_id>/milestones/<milestone_id>")
class Milestone(MethodView):
    @blp.arguments(MilestoneUpdateSchema)
    @blp.response(200, CommitmentSchema, headers=ETAG)
    @blp.alt_response(409, description="A status change that is not allowed (the problem says what is)")
    @blp.doc(parameters=[IF_MATCH])
    def patch(self, fields, commitment_id, milestone_id):
        """Report a milestone's progress (status, evidence links, note) or move its due date"""
        return _shown(update_milestone(context(), commitment_id, milestone_id, fields,
                                       if_match_version(required=True)))
