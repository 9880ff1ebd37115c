"""/api/v1/agencies/{id}/scorecard, /rankings, /data-quality and /rollup-weight."""
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.http.auth import current_principal
from shared.http.stored import stored_response
from services.indicators import queries
from services.indicators.commands.weights import set_rollup_weight
from services.indicators.resources.common import context, repo
from services.indicators.resources.scorecards.schemas import (DataQualityQuerySchema, DataQualitySchema,
                                                              PeriodQuerySchema, RankingSchema, ScorecardSchema,
                                                              WeightRecordSchema, WeightSchema)

blp = Blueprint("scorecards", __name__, url_prefix="/agencies",
                description="Scores computed by the server from verified realisations, rolled up the agency tree.")


@blp.route("/<agency_id>/scorecard")
class AgencyScorecard(MethodView):
    @blp.arguments(PeriodQuerySchema, location="query")
    @blp.response(200, ScorecardSchema)
    def get(self, query, agency_id):
        """An agency's scorecard: each indicator's target, realisation and achievement, the weighted score and
        grade, its children's scores and the roll-up over its subtree"""
        return stored_response(queries.scorecard(current_principal(), repo(), agency_id, query["period"]))


@blp.route("/<agency_id>/rankings")
class AgencyRankings(MethodView):
    @blp.arguments(PeriodQuerySchema, location="query")
    @blp.response(200, RankingSchema)
    def get(self, query, agency_id):
        """The agency's children ranked by their roll-up score"""
        return queries.rankings(current_principal(), repo(), agency_id, query["period"])


@blp.route("/<agency_id>/data-quality")
class AgencyDataQuality(MethodView):
    @blp.arguments(DataQualityQuerySchema, location="query")
    @blp.response(200, DataQualitySchema)
    def get(self, query, agency_id):
        """Reporting gaps of the agency's subtree for a period: missing and draft realisations with their
        deadlines, rejected ones waiting to be resubmitted, counts by status"""
        return queries.data_quality(current_principal(), repo(), agency_id, query["period"], query.get("as_of"),
                                    query["grace_days"])


@blp.route("/<agency_id>/rollup-weight")
class AgencyRollupWeight(MethodView):
    @blp.arguments(WeightSchema)
    @blp.response(200, WeightRecordSchema)
    def put(self, fields, agency_id):
        """How much the agency counts in its parent's roll-up (default 1; whoever may write the parent)"""
        return set_rollup_weight(context(), agency_id, fields["weight"])
