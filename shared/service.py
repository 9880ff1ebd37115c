"""The service template: one `Service` declaration per service, read by everything that needs to know a
service — the app factory (shared.http.app), the worker (shared.worker), the event catalogue and the
AsyncAPI document, the local stack (deploy/local), the compose file, the test stack and the tests.

Each service declares itself in `services/<name>/service.py`; `services/registry.py` lists them, one line
each. Adding a service is a folder and that line (README: "Adding a service").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from mongoengine import Document
from pymongo.database import Database

from shared.events.handlers import HandlerRegistry


@dataclass(frozen=True)
class ServiceSpec:
    """What the deployment knows of a service: its name, ports and topics."""

    name: str
    title: str
    description: str
    api_port: int
    worker_port: int  # the worker's /healthz and /metrics
    produces: bool  # has aggregates whose events it publishes on `<name>.events`
    consumes: tuple[str, ...] = ()  # topics (without namespace) its worker subscribes to

    @property
    def topic(self) -> str | None:
        return f"{self.name}.events" if self.produces else None


def _no_handlers(_repository: Any) -> HandlerRegistry:
    return HandlerRegistry()


def _no_tasks(_repository: Any) -> list[Callable[[], object]]:
    return []


@dataclass(frozen=True)
class Service:
    """Everything a process needs to run a service, API or worker.

    - `documents`: every collection of the service (their indexes are created at start-up);
    - `outbox_documents`: the aggregates whose events the worker's relay publishes;
    - `repository(db, settings)`: where the service keeps its data, built on a database (the real one, or
      an in-memory one in unit tests); it has a `directory` (shared.auth.directory.AgencyDirectory), where
      authorization finds agencies;
    - `blueprints()`: the HTTP resources under /api/v1;
    - `handlers(repository)`: the worker's handler registry (events it consumes);
    - `maintenance(repository)`: tasks the worker runs every few seconds;
    - `startup(repository)`: run once by the API and the worker before they serve (e.g. default data);
    - `republishable(repository)`: (store, snapshot contract) of each aggregate others keep replicas of, for
      `kinerja events republish` (shared.store.republish)."""

    spec: ServiceSpec
    documents: tuple[type[Document], ...]
    repository: Callable[[Database, Any], Any]
    blueprints: Callable[[], list]
    outbox_documents: tuple[type[Document], ...] = ()
    handlers: Callable[[Any], HandlerRegistry] = _no_handlers
    maintenance: Callable[[Any], list[Callable[[], object]]] = _no_tasks
    startup: Callable[[Any], None] = field(default=lambda _repository: None)
    republishable: Callable[[Any], list] = field(default=lambda _repository: [])

    @property
    def name(self) -> str:
        return self.spec.name
