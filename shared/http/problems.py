"""RFC 9457 problem details (application/problem+json) for every error a service returns.

Commands raise domain errors (shared.errors) and views raise `Problem` for what only HTTP knows
(If-Match, media types); webargs/marshmallow validation errors, database conflicts and unexpected
exceptions are all turned into the same shape here, so a client never sees an HTML error page or a
stack trace. This is the one mapping from domain errors to status codes.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, json, request
from mongoengine.errors import NotUniqueError
from pymongo.errors import ConnectionFailure, DuplicateKeyError
from werkzeug.exceptions import HTTPException

from shared.errors import (Conflict, DomainError, Forbidden, Invalid, NotFound, StaleVersion, TooLarge, Unsupported,
                           Unavailable)


log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://kinerja.example/problems/"

_TITLES = {
    400: "Malformed request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
    405: "Method not allowed", 409: "Conflict", 412: "Precondition failed", 413: "Request body too large",
    414: "URI too long", 415: "Unsupported media type", 422: "Invalid fields", 428: "Precondition required",
    500: "Internal error", 503: "Service unavailable",
}
_TYPES = {
    400: "malformed-request", 401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
    409: "conflict", 412: "stale-version", 413: "body-too-large", 414: "uri-too-long", 415: "unsupported-media-type",
    422: "validation-error", 428: "precondition-required", 500: "internal-error", 503: "unavailable",
}


class Problem(Exception):
    """An error to return to the client as problem+json."""

    def __init__(self, status: int, detail: str, *, errors: dict[str, Any] | None = None,
                 type_: str | None = None, title: str | None = None, headers: dict[str, str] | None = None,
                 **extensions: Any):
        super().__init__(detail)
        self.headers = headers or {}
        self.status = status
        self.detail = detail
        self.errors = errors
        self.type = type_ or _TYPES.get(status, "error")
        self.title = title or _TITLES.get(status, "Error")
        self.extensions = extensions


def problem_response(status: int, detail: str, *, errors: dict[str, Any] | None = None,
                     type_: str | None = None, title: str | None = None,
                     headers: dict[str, str] | None = None, extensions: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + (type_ or _TYPES.get(status, "error")),
        "title": title or _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.path if request else None,
    }
    if errors:
        body["errors"] = errors
    # Extension members never replace the standard ones.
    body.update({k: v for k, v in (extensions or {}).items() if k not in body})
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _field_errors(error: HTTPException) -> dict[str, Any] | None:
    """webargs puts marshmallow messages in `error.data["messages"]`, keyed by location."""
    messages = (getattr(error, "data", None) or {}).get("messages")
    if not isinstance(messages, dict):
        return None
    flat: dict[str, Any] = {}
    for location_messages in messages.values():
        if isinstance(location_messages, dict):
            flat.update(location_messages)
    return flat or None


def _handle_http(error: HTTPException) -> Response:
    status = error.code or 500
    errors = _field_errors(error)
    if status == 400 and (errors or request.is_json):
        # Flask and webargs both report undecodable JSON as a bare 400; say what is wrong.
        detail = "The request body is not valid JSON."
        errors = None
    elif status == 422:
        detail = "One or more fields are invalid; see errors."
    elif status == 413:
        detail = "The request body is larger than this service accepts."
    else:
        detail = error.description or _TITLES.get(status, "Error")
    headers = {}
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return problem_response(status, detail, errors=errors, headers=headers)


def _handle_problem(problem: Problem) -> Response:
    return problem_response(problem.status, problem.detail, errors=problem.errors, type_=problem.type,
                            title=problem.title, headers=problem.headers, extensions=problem.extensions)


def _status_of(error: DomainError) -> int:
    for kind, status in ((NotFound, 404), (Invalid, 422), (Conflict, 409), (StaleVersion, 412), (Forbidden, 403),
                         (Unavailable, 503), (TooLarge, 413), (Unsupported, 415)):
        if isinstance(error, kind):
            return status
    return 400


def _handle_domain(error: DomainError) -> Response:
    status = _status_of(error)
    headers = {"Retry-After": str(error.retry_after_s)} if isinstance(error, Unavailable) else {}
    return problem_response(status, error.detail, errors=getattr(error, "errors", None),
                            type_=getattr(error, "kind", None), headers=headers, extensions=error.extensions)


def _handle_duplicate(error: Exception) -> Response:
    return problem_response(409, "A record with the same unique value already exists.", type_="duplicate")


def _handle_database_down(error: Exception) -> Response:
    log.error("database unavailable", extra={"error": str(error)})
    return problem_response(503, "The database is unavailable; try again shortly.", headers={"Retry-After": "5"})


def _handle_unexpected(error: Exception) -> Response:
    log.exception("unhandled error")
    return problem_response(500, "An unexpected error occurred; it has been logged.")


def register_problem_handlers(app: Flask) -> None:
    app.register_error_handler(Problem, _handle_problem)
    app.register_error_handler(DomainError, _handle_domain)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(DuplicateKeyError, _handle_duplicate)
    app.register_error_handler(NotUniqueError, _handle_duplicate)
    app.register_error_handler(ConnectionFailure, _handle_database_down)
    app.register_error_handler(Exception, _handle_unexpected)
