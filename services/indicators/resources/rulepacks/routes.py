"""/api/v1/rulepacks: the versioned scoring rules (formulas, cap, grades, lights)."""
from flask.views import MethodView
from flask_smorest import Blueprint

from services.indicators import queries
from services.indicators.commands.rulepacks import add_rule_pack
from services.indicators.resources.common import context, repo
from services.indicators.resources.rulepacks.schemas import RulePackCreateSchema, RulePackSchema

blp = Blueprint("rulepacks", __name__, url_prefix="/rulepacks",
                description="Scoring rules, versioned and effective-dated; every score names its version.")


@blp.route("")
class RulePacks(MethodView):
    @blp.response(200, RulePackSchema(many=True))
    def get(self):
        """Every rule pack version, oldest first"""
        return queries.rule_packs(repo())

    @blp.arguments(RulePackCreateSchema, example={"effective_from": "2026-01-01", "cap": 110, "bands": [
        {"grade": "AA", "above": 90}, {"grade": "A", "above": 80}, {"grade": "BB", "above": 70},
        {"grade": "B", "above": 60}, {"grade": "CC", "above": 50}, {"grade": "C", "above": 30},
        {"grade": "D", "above": None}], "green_from": 90, "yellow_from": 70})
    @blp.response(201, RulePackSchema)
    def post(self, fields):
        """Add a new version (admins)"""
        return add_rule_pack(context(), fields), 201


@blp.route("/<version>")
class RulePackByVersion(MethodView):
    @blp.response(200, RulePackSchema)
    def get(self, version):
        """One rule pack version"""
        return queries.rule_pack(repo(), version)
