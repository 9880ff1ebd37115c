"""Assembles a service's Flask app the same way for all three services."""
from __future__ import annotations

from typing import Iterable

from flask import Flask
from flask_cors import CORS
from flask_smorest import Blueprint
from mongoengine import Document

from shared.auth.flask_auth import AgencyLookup, install_auth
from shared.auth.tokens import TokenVerifier
from shared.db import connect_mongo
from shared.http.middleware import CORRELATION_HEADER, install_middleware
from shared.http.openapi import KinerjaApi, ProblemResponsesPlugin
from shared.http.ops import ops
from shared.http.outbox_routes import outbox_blueprint
from shared.http.problems import register_problem_handlers
from shared.logging import configure_logging
from shared.settings import Settings

API_PREFIX = "/api/v1"


def build_app(settings: Settings, *, blueprints: Iterable[Blueprint], agency_lookup: AgencyLookup,
              documents: Iterable[type[Document]], outbox_documents: Iterable[type[Document]] = ()) -> Flask:
    """`agency_lookup` finds an agency in this service's own copy of the tree, for authorization;
    `documents` are the service's collections (their indexes are created at start-up); the outboxes of
    `outbox_documents` get the admin routes for failed events."""
    configure_logging(settings.service, settings.log_level)
    verifier = TokenVerifier.from_settings(settings)  # refuses to start without a token key
    spec = settings.spec
    app = Flask(f"kinerja.{settings.service}")
    app.config.update(
        KINERJA_SETTINGS=settings,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        API_TITLE=spec.title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=API_PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": spec.description},
            "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
            "security": [{"bearer": []}],
        },
        JSON_SORT_KEYS=False,
        PROPAGATE_EXCEPTIONS=False,
    )
    app.json.sort_keys = False
    connect_mongo(settings, documents)
    api = KinerjaApi(app, spec_kwargs={"extra_plugins": [ProblemResponsesPlugin()]})
    outbox_documents = tuple(outbox_documents)
    for blueprint in [*blueprints, *([outbox_blueprint(outbox_documents)] if outbox_documents else [])]:
        api.register_blueprint(blueprint, url_prefix=API_PREFIX + (blueprint.url_prefix or ""))
    app.register_blueprint(ops)
    if settings.cors_origin_list:
        # Browsers (agency dashboards) on the configured origins may call the API with a bearer token.
        CORS(app, origins=settings.cors_origin_list, allow_headers=["Authorization", "Content-Type", "If-Match",
                                                                    CORRELATION_HEADER],
             expose_headers=["ETag", "Location", CORRELATION_HEADER], max_age=600)
    install_middleware(app, settings.service, install_auth(app, verifier, agency_lookup))
    # After Api(app): these handlers replace flask-smorest's own JSON error bodies.
    register_problem_handlers(app)
    return app
