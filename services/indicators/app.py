"""App factory of the indicators service."""
from flask import Flask

from shared.auth.directory import collection_lookup
from shared.http.app import build_app
from shared.replicas.agencies import AgencyReplica
from shared.settings import Settings, load_settings
from services.indicators import SERVICE
from services.indicators.adapters import DOCUMENTS, OUTBOX_DOCUMENTS
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.commands.rulepacks import ensure_default_rule_pack
from services.indicators.resources import blueprints


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings(SERVICE)
    app = build_app(settings, blueprints=blueprints(), agency_lookup=collection_lookup(AgencyReplica._get_collection),
                    documents=DOCUMENTS, outbox_documents=OUTBOX_DOCUMENTS)
    repo = IndicatorsRepository(settings)
    ensure_default_rule_pack(repo)
    app.extensions["kinerja.indicators"] = repo
    return app
