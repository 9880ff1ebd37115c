"""App factory of the reforms service."""
from flask import Flask

from shared.auth.directory import collection_lookup
from shared.http.app import build_app
from shared.replicas.agencies import AgencyReplica
from shared.settings import Settings, load_settings
from services.reforms import SERVICE
from services.reforms.adapters import DOCUMENTS, OUTBOX_DOCUMENTS
from services.reforms.adapters.repository import ReformsRepository
from services.reforms.resources import blueprints


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings(SERVICE)
    app = build_app(settings, blueprints=blueprints(), agency_lookup=collection_lookup(AgencyReplica._get_collection),
                    documents=DOCUMENTS, outbox_documents=OUTBOX_DOCUMENTS)
    app.extensions["kinerja.reforms"] = ReformsRepository(settings)
    return app
