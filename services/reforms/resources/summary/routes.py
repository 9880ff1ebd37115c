"""/api/v1/agencies/{id}/reform-summary."""
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.http.auth import current_principal
from services.reforms import queries
from services.reforms.resources.common import repo
from services.reforms.resources.summary.schemas import ReformSummarySchema, SummaryQuerySchema

blp = Blueprint("reform_summary", __name__, url_prefix="/agencies",
                description="An agency's reform year, rolled up over its subtree.")


@blp.route("/<agency_id>/reform-summary")
class ReformSummary(MethodView):
    @blp.arguments(SummaryQuerySchema, location="query")
    @blp.response(200, ReformSummarySchema)
    def get(self, query, agency_id):
        """Activities by area and status, participants and attendance, follow-ups open and overdue: the
        agency's own, rolled up over its subtree, and each child's roll-up"""
        return queries.reform_summary(current_principal(), repo(), agency_id, query["year"], query.get("as_of"))
