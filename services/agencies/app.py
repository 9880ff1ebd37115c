"""App factory of the agencies service."""
from flask import Flask

from shared.http.app import build_app
from shared.settings import Settings, load_settings
from services.agencies import SERVICE
from services.agencies.resources import blueprints


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings(SERVICE)
    return build_app(settings, title="Kinerja agencies",
                     description="Registry of government agencies, from ministries down to work units.",
                     blueprints=blueprints())
