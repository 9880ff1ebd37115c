"""GET /api/v1/me: who the bearer token says the caller is (subject, role, home agency). The dashboard asks
this instead of reading the token, so it works with any token the service accepts (an identity provider's
too), and decides which views and actions to offer; the API still decides what is allowed."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from shared.http.auth import current_principal


class MeSchema(Schema):
    sub = fields.String(metadata={"description": "The token's subject: who acts (stamped on every write)"})
    role = fields.String(metadata={"description": "admin, evaluator, operator or viewer"})
    agency_id = fields.String(metadata={"description": "The agency the caller's scope is rooted at ('*': all)"})


def me_blueprint() -> Blueprint:
    blp = Blueprint("me", __name__, url_prefix="/me", description="The caller, as the bearer token names them.")

    @blp.route("")
    class Me(MethodView):
        @blp.response(200, MeSchema)
        def get(self):
            """The caller: subject, role and home agency of the bearer token"""
            principal = current_principal()
            return {"sub": principal.sub, "role": principal.role, "agency_id": principal.agency_id}

    return blp
