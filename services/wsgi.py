"""gunicorn entry point of every service: `gunicorn 'services.wsgi:create("agencies")'`."""
from flask import Flask

from shared.http.app import build_app
from shared.settings import load_settings
from services.registry import SERVICES, service_named


def create(name: str) -> Flask:
    service = service_named(name)
    return build_app(service, load_settings(service.spec), catalogue=SERVICES.values())
