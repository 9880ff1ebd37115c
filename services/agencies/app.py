"""App factory of the agencies service."""
from flask import Flask

from shared.auth.directory import collection_lookup
from shared.http.app import build_app
from shared.settings import Settings, SettingsError, load_settings
from services.agencies import SERVICE
from services.agencies.adapters import DOCUMENTS
from services.agencies.adapters.documents import Agency
from services.agencies.adapters.repository import agency_repository
from services.agencies.domain.agency import DEFAULT_PARENT_RULES, parse_parent_rules
from services.agencies.resources import blueprints


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings(SERVICE)
    app = build_app(settings, blueprints=blueprints(), agency_lookup=collection_lookup(Agency._get_collection),
                    documents=DOCUMENTS, outbox_documents=(Agency,))
    app.config["AGENCY_PARENT_RULES"] = parent_rules_from(settings)
    app.extensions["kinerja.agencies"] = agency_repository(settings)
    return app


def parent_rules_from(settings: Settings):
    if not settings.agency_parent_rules:
        return DEFAULT_PARENT_RULES
    try:
        return parse_parent_rules(settings.agency_parent_rules)
    except ValueError as err:  # json.JSONDecodeError is a ValueError too
        raise SettingsError(f"KINERJA_AGENCY_RULES: {err}") from None
