"""Request middleware shared by all services: correlation ids, media-type checks, security
headers and request metrics."""
from __future__ import annotations

import time
from typing import Callable

from flask import Flask, Response, current_app, g, request

from shared.http.guards import check_json_body, check_url
from shared.http.problems import Problem
from shared.logging import new_correlation_id, reset_correlation_id, set_correlation_id
from shared.metrics import HTTP_LATENCY, HTTP_REQUESTS

CORRELATION_HEADER = "X-Correlation-ID"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


def accepts(*media_types: str) -> Callable:
    """Let a view take request bodies of other media types than JSON (e.g. text/csv imports)."""
    def decorate(view):
        view.accepted_media_types = set(media_types)
        return view
    return decorate


def _is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or (mimetype.startswith("application/") and mimetype.endswith("+json"))


def _has_body() -> bool:
    return bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "").lower()


def _check_media_type() -> None:
    if request.method not in WRITE_METHODS or not _has_body():
        return
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    # flask-smorest wraps MethodViews; the accepted types are set on the method itself.
    view_class = getattr(view, "view_class", None)
    handler = getattr(view_class, request.method.lower(), None) if view_class else view
    accepted = getattr(handler, "accepted_media_types", None)
    mimetype = request.mimetype or ""
    if accepted and mimetype in accepted:
        return
    if not _is_json(mimetype):
        expected = ", ".join(sorted(accepted | {"application/json"})) if accepted else "application/json"
        raise Problem(415, f"Send the request body as {expected} (got {mimetype or 'no Content-Type'}).")


def install_middleware(app: Flask, service: str, authenticate: Callable[[], None]) -> None:
    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()
        incoming = request.headers.get(CORRELATION_HEADER, "")
        g.correlation_id = incoming if 0 < len(incoming) <= 128 and incoming.isprintable() else new_correlation_id()
        g.correlation_token = set_correlation_id(g.correlation_id)
        check_url()
        authenticate()  # 401/403 before anything looks at the body
        if request.routing_exception is None:  # no such route or method: routing answers 404 or 405, not the body
            _check_media_type()
            check_json_body()

    # The metric series of each (method, route, status), looked up once: labels() takes a lock every call.
    counters: dict[tuple[str, str, int], Callable[[], None]] = {}
    timers: dict[tuple[str, str], Callable[[float], None]] = {}

    @app.after_request
    def _finish(response: Response) -> Response:
        headers = response.headers
        present = {name.lower() for name in headers.keys()}
        headers.extend([(name, value) for name, value in SECURITY_HEADERS.items() if name.lower() not in present])
        headers[CORRELATION_HEADER] = g.get("correlation_id", "")
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        key = (request.method, endpoint, response.status_code)
        if key not in counters:
            counters[key] = HTTP_REQUESTS.labels(service, key[0], endpoint, str(key[2])).inc
        counters[key]()
        if "started" in g:
            if key[:2] not in timers:
                timers[key[:2]] = HTTP_LATENCY.labels(service, key[0], endpoint).observe
            timers[key[:2]](time.perf_counter() - g.started)
        return response

    @app.teardown_request
    def _reset(_exc) -> None:
        token = g.pop("correlation_token", None)
        if token is not None:
            reset_correlation_id(token)
