"""The event catalogue, generated from the contract registry and the services' declarations (their topics
and the handler registries their workers build): every topic, event type, its data fields, who produces it
and who handles it. The README's catalogue is this output (a test keeps it current); refresh it with
`make catalogue` (`kinerja events catalogue` prints it).
"""
from __future__ import annotations

from typing import Iterable

import shared.contracts  # noqa: F401 - registers every contract
from marshmallow import Schema, fields
from pymongo import MongoClient

from shared.events.contracts import all_contracts
from shared.service import Service
from shared.settings import load_settings

START, END = "<!-- event-catalogue:start -->", "<!-- event-catalogue:end -->"


def _fields(schema: Schema) -> str:
    parts = []
    for name, field in schema.fields.items():
        nested = getattr(field, "schema", None) if isinstance(field, fields.Nested) else None
        inner = f" ({', '.join(nested.fields)})" if nested is not None else ""
        parts.append(f"`{name}`{inner}")
    return ", ".join(parts)


def producer_of(services: Iterable[Service], topic: str) -> str | None:
    return next((s.name for s in services if s.spec.topic == topic), None)


_HANDLED: dict[str, frozenset[str]] = {}


def handled_types(service: Service) -> frozenset[str]:
    """The event types a service's worker has handlers for: its registry, built as the worker builds it, on
    a database that is never contacted (building a registry reads nothing)."""
    if service.name not in _HANDLED:
        offline = MongoClient("mongodb://127.0.0.1:1", connect=False)[f"catalogue_{service.name}"]
        repository = service.repository(offline, load_settings(service.spec, {}))
        _HANDLED[service.name] = frozenset(service.handlers(repository).handlers)
    return _HANDLED[service.name]


def consumers_of(services: Iterable[Service], event_type: str) -> list[str]:
    """Services that handle the type (subscribing to its topic is not enough: unknown types are skipped)."""
    return [s.name for s in services if event_type in handled_types(s)]


def markdown(services: Iterable[Service]) -> str:
    services = list(services)
    lines = ["| topic | type | data | producer | consumers | meaning |", "|---|---|---|---|---|---|"]
    for contract in sorted(all_contracts(), key=lambda c: (c.topic, c.type)):
        lines.append(f"| `kinerja.{contract.topic}` | `{contract.type}` | {_fields(contract.schema())} | "
                     f"{producer_of(services, contract.topic) or '?'} | "
                     f"{', '.join(consumers_of(services, contract.type)) or '-'} | {contract.description} |")
    return "\n".join(lines) + "\n"


def readme_section(readme: str) -> str:
    """The generated part of a README (between the markers)."""
    return readme.split(START, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def with_catalogue(readme: str, services: Iterable[Service]) -> str:
    head, rest = readme.split(START, 1)
    return f"{head}{START}\n{markdown(services)}{END}{rest.split(END, 1)[1]}"
