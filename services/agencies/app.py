"""App factory of the agencies service."""
from flask import Flask

from shared.auth.directory import collection_lookup
from shared.http.app import build_app
from shared.settings import Settings, load_settings
from services.agencies import SERVICE
from services.agencies.adapters.documents import Agency
from services.agencies.resources import blueprints


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings(SERVICE)
    return build_app(settings, title="Kinerja agencies",
                     description="Registry of government agencies, from ministries down to work units.",
                     blueprints=blueprints(), agency_lookup=collection_lookup(Agency._get_collection))
