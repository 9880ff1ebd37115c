"""/api/v1/rulepacks: the versioned scoring rules (formulas, cap, grades, lights)."""
from flask.views import MethodView
from flask_smorest import Blueprint

from services.indicators import queries
from shared.http.etag import with_etag
from services.indicators.commands.rulepacks import add_rule_pack, make_effective
from services.indicators.resources.common import context, repo
from services.indicators.resources.rulepacks.schemas import EffectiveSchema, RulePackCreateSchema, RulePackSchema

blp = Blueprint("rulepacks", __name__, url_prefix="/rulepacks",
                description="Scoring rules, versioned and effective-dated; every score names its version.")


@blp.route("")
class RulePacks(MethodView):
    @blp.response(200, RulePackSchema(many=True))
    def get(self):
        """Every rule pack version, oldest first"""
        return queries.rule_packs(repo())

    @blp.arguments(RulePackCreateSchema, example={
        "effective_from": "2026-01-01", "method": "aggregate", "cap": 110,
        "formulas": {"higher_is_better": "ratio", "lower_is_better": "inverse_reciprocal"}, "bands": [
            {"code": "sangat_tinggi", "label": "Sangat Tinggi", "min": 91},
            {"code": "tinggi", "label": "Tinggi", "min": 76}, {"code": "sedang", "label": "Sedang", "min": 66},
            {"code": "rendah", "label": "Rendah", "min": 51},
            {"code": "sangat_rendah", "label": "Sangat Rendah", "min": None}], "green_from": 76, "yellow_from": 51})
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


@blp.route("/<version>/effective-from")
class RulePackEffective(MethodView):
    @blp.arguments(EffectiveSchema)
    @blp.response(200, RulePackSchema, headers={"ETag": {"description": "The version", "schema": {"type": "string"}}})
    def put(self, fields, version):
        """Put a version in force from a date (admins): every card of a period from then is computed again"""
        return with_etag(make_effective(context(), version, fields["effective_from"], fields["reason"]))
