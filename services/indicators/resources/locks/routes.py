"""/api/v1/period-locks: closing a period for an agency subtree (evaluators and admins)."""
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.http.auth import current_principal
from shared.http.etag import with_etag
from services.indicators import queries
from services.indicators.commands.locks import lock_period, unlock_period
from services.indicators.resources.common import context, repo
from services.indicators.resources.indicators.schemas import ReasonSchema
from services.indicators.resources.locks.schemas import LockCreateSchema, LockQuerySchema, LockSchema

blp = Blueprint("period_locks", __name__, url_prefix="/period-locks",
                description="Locked periods refuse every write of targets and realisations in the agency subtree.")


@blp.route("")
class PeriodLocks(MethodView):
    @blp.arguments(LockQuerySchema, location="query")
    @blp.response(200, LockSchema(many=True))
    def get(self, query):
        """Period locks the caller may read"""
        return queries.locks(current_principal(), repo(), query)

    @blp.arguments(LockCreateSchema)
    @blp.response(201, LockSchema)
    @blp.alt_response(409, description="The period is already locked")
    def post(self, fields):
        """Lock a period for an agency and its subtree"""
        return with_etag(lock_period(context(), fields["agency_id"], fields["period"], fields["reason"]), 201)


@blp.route("/<lock_id>/unlock")
class PeriodUnlock(MethodView):
    @blp.arguments(ReasonSchema)
    @blp.response(200, LockSchema)
    def post(self, fields, lock_id):
        """Unlock a period (with a reason; the history stays)"""
        return with_etag(unlock_period(context(), lock_id, fields["reason"]))
