"""/api/v1/areas (reference data) and /api/v1/indicators/{id} (what this service knows of an indicator)."""
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from shared.http.auth import current_principal
from services.reforms import queries
from services.reforms.resources.common import repo

blp = Blueprint("reference", __name__, url_prefix="",
                description="Reform areas, and the replica of indicators that activities link to.")


class AreaSchema(Schema):
    code = fields.String(metadata={"description": "Stable code, used by activities and indicators' fed_by_reforms"})
    name = fields.String()
    name_en = fields.String()
    group = fields.String(metadata={"description": "general (the 8 areas of change) or thematic (RB Tematik)"})


class IndicatorReplicaSchema(Schema):
    id = fields.String()
    agency_id = fields.String()
    code = fields.String()
    name = fields.String()
    status = fields.String()
    fed_by_reforms = fields.List(fields.String(), allow_none=True)


@blp.route("/areas")
class Areas(MethodView):
    @blp.response(200, AreaSchema(many=True))
    def get(self):
        """The 8 RB areas of change and the RB Tematik themes"""
        return queries.areas()


@blp.route("/indicators/<indicator_id>")
class IndicatorReplicaById(MethodView):
    @blp.response(200, IndicatorReplicaSchema)
    def get(self, indicator_id):
        """An indicator as this service knows it (from indicator events)"""
        return queries.known_indicator(current_principal(), repo(), indicator_id)
