"""/api/v1/realisations: realisations across the indicators of an agency or its subtree (data entry for a
period; the verification queue). One realisation is read and written under /indicators/{id}/realisations."""
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from shared.http.auth import current_principal
from shared.http.pagination import PageQuerySchema, page_schema
from shared.text import Text
from services.indicators import queries
from services.indicators.resources.common import repo
from services.indicators.resources.indicators.schemas import RealisationSchema

blp = Blueprint("realisations", __name__, url_prefix="/realisations",
                description="Realisations across indicators: a period's entries, the verification queue.")


class RealisationQuerySchema(PageQuerySchema):
    agency_id = Text(validate=validate.Length(min=1, max=64))
    subtree = fields.Boolean(load_default=False, metadata={"description": "with agency_id: its whole subtree"})
    period = Text(validate=validate.Length(min=4, max=7), metadata={
        "description": "2025, 2025Q1 or 202503: this period and the shorter ones inside it"})
    status = fields.String(validate=validate.OneOf(("draft", "submitted", "verified", "rejected")), metadata={
        "description": "submitted: the verification queue, oldest submission first"})


class NamedRealisationSchema(RealisationSchema):
    indicator = fields.Dict(metadata={"description": "code, name, unit, frequency and category of the indicator"})
    agency = fields.Dict(metadata={"description": "code and name of the agency"})


@blp.route("")
class Realisations(MethodView):
    @blp.arguments(RealisationQuerySchema, location="query")
    @blp.response(200, page_schema(NamedRealisationSchema, "RealisationPage"))
    def get(self, query):
        """Realisations the caller may read, by agency (or subtree), period and status"""
        return queries.list_realisations(current_principal(), repo(), query)
