"""Every service of Kinerja, by name. Adding a service is its folder (with a `service.py` declaring it) and
one line here; everything else — the app and the worker, the catalogue, the AsyncAPI document, the local
stack, the test stack — reads this list."""
from __future__ import annotations

import importlib

from shared.service import Service
from services.agencies.service import SERVICE as AGENCIES
from services.indicators.service import SERVICE as INDICATORS
from services.reforms.service import SERVICE as REFORMS

SERVICES: dict[str, Service] = {service.name: service for service in (AGENCIES, INDICATORS, REFORMS)}


def service_named(name: str) -> Service:
    """A service of the list by name, or any declaration by `module:attribute` (a toy service in a test)."""
    if ":" in name:
        module, _, attribute = name.partition(":")
        return getattr(importlib.import_module(module), attribute)
    if name not in SERVICES:
        raise SystemExit(f"unknown service {name!r}; the services are {', '.join(SERVICES)}")
    return SERVICES[name]


def api_app(name: str) -> str:
    """What gunicorn serves for a service's API (`gunicorn -c deploy/gunicorn.conf.py <this>`)."""
    return f'services.wsgi:create("{name}")'


def worker_args(name: str) -> list[str]:
    """How a service's worker is started (`python <these>`)."""
    return ["-m", "services.worker", name]
