"""An honest OpenAPI document: every error an operation can answer is documented, as what it is.

flask-smorest documents errors as `application/json` with its own error schema; ours are RFC 9457
`application/problem+json` (shared.http.problems). This module makes the document say so, adds the
errors every operation shares (401/403 from the bearer scheme, 400 malformed, 404 unknown path
parameter, 413/415 for bodies, 414, 422, 503 database down) and gives every error response the
Problem schema.
"""
from __future__ import annotations

import http

from apispec import BasePlugin
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import INCLUDE, Schema, fields

PROBLEM_MEDIA_TYPE = "application/problem+json"


class ProblemSchema(Schema):
    """RFC 9457 problem details; extension members (e.g. `rows` of an import, `required_action`) may follow."""

    class Meta:
        unknown = INCLUDE

    type = fields.String(required=True, metadata={"description": "URI naming the kind of problem"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True, metadata={"description": "What went wrong, for a human"})
    instance = fields.String(allow_none=True, metadata={"description": "The request path"})
    errors = fields.Dict(keys=fields.String(), metadata={"description": "Messages per invalid field"})


_PROBLEM_CONTENT = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _shared_errors(path: str, method: str, operation: dict) -> list[int]:
    statuses = [400, 401, 403, 414, 422, 503]
    if "{" in path:
        statuses.append(404)
    if "requestBody" in operation or method in ("post", "put", "patch"):
        statuses += [413, 415]
    if_match = [p for p in operation.get("parameters", []) if isinstance(p, dict) and p.get("name") == "If-Match"]
    if if_match:
        statuses.append(412)
        if if_match[0].get("required"):
            statuses.append(428)
    return statuses


class ProblemResponsesPlugin(BasePlugin):
    """Rewrites each operation's error responses to problem+json and adds the errors all share."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            # Status codes as strings, as the document has them (flask-smorest may use ints).
            responses = {str(status): response for status, response in operation.get("responses", {}).items()}
            for status in _shared_errors(path or "", method, operation):
                # A component's name: apispec then registers the (lazy) component and refers to it.
                responses.setdefault(str(status), http.HTTPStatus(status).name)
            for status, response in responses.items():
                if isinstance(response, dict) and (status == "default" or int(status) >= 400) and "$ref" not in response:
                    response["content"] = dict(_PROBLEM_CONTENT)
            operation["responses"] = responses


class KinerjaApi(Api):
    """flask-smorest's Api with problem+json error responses."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        self.spec.components.schema("Problem", schema=ProblemSchema)
        for status in http.HTTPStatus:
            if status < 400:
                continue
            response = {"description": status.phrase, "schema": "Problem"}
            prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Any other error", "schema": "Problem"}
        prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)
