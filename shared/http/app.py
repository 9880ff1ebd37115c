"""Assembles a service's Flask app from its declaration (shared.service.Service), the same way for every
service: settings, database, repository, blueprints, auth, errors, operational endpoints."""
from __future__ import annotations

from typing import Iterable

from flask import Flask
from flask_cors import CORS

from shared.db import database, prepare
from shared.http.audit_routes import audit_blueprint
from shared.http.me_routes import me_blueprint
from shared.http.auth import install_auth
from shared.auth.tokens import TokenVerifier
from shared.http.middleware import CORRELATION_HEADER, install_middleware
from shared.http.openapi import KinerjaApi, ProblemResponsesPlugin
from shared.http.ops import ops
from shared.http.outbox_routes import outbox_blueprint
from shared.http.problems import register_problem_handlers
from shared.logging import configure_logging
from shared.service import Service
from shared.settings import Settings

API_PREFIX = "/api/v1"


def build_app(service: Service, settings: Settings, *, catalogue: Iterable[Service] | None = None,
              db=None) -> Flask:
    """The app of `service`. `catalogue` is every service of the deployment (the AsyncAPI document it
    serves describes them all; default: this one); `db` replaces the service's database (tests)."""
    configure_logging(settings.service, settings.log_level)
    verifier = TokenVerifier.from_settings(settings)  # refuses to start without a token key
    spec = settings.spec
    app = Flask(f"kinerja.{settings.service}")
    app.config.update(
        KINERJA_SETTINGS=settings,
        KINERJA_SERVICES=tuple(catalogue) if catalogue is not None else (service,),
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
    db = prepare(db if db is not None else database(settings), service.documents)
    repository = service.repository(db, settings)
    service.startup(repository)
    app.extensions["kinerja.db"] = db
    app.extensions["kinerja.repository"] = repository
    api = KinerjaApi(app, spec_kwargs={"extra_plugins": [ProblemResponsesPlugin()]})
    own = [*service.blueprints(), audit_blueprint(), me_blueprint()]
    if service.outbox_documents:
        own.append(outbox_blueprint(service.outbox_documents))
    for blueprint in own:
        api.register_blueprint(blueprint, url_prefix=API_PREFIX + (blueprint.url_prefix or ""))
    app.register_blueprint(ops)
    if settings.cors_origin_list:
        # Browsers (agency dashboards) on the configured origins may call the API with a bearer token.
        CORS(app, origins=settings.cors_origin_list, allow_headers=["Authorization", "Content-Type", "If-Match",
                                                                    CORRELATION_HEADER],
             expose_headers=["ETag", "Location", CORRELATION_HEADER], max_age=600)
    install_middleware(app, settings.service, install_auth(app, verifier, repository.directory.ref))
    # After Api(app): these handlers replace flask-smorest's own JSON error bodies.
    register_problem_handlers(app)
    return app
