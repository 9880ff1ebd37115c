"""The event catalogue, generated from the contract registry, the service specs and the services' handler
registries: every topic, event type, its data fields, who produces it and who handles it. The README's catalogue is this output (a
test keeps it current); refresh it with `make catalogue`.

    python -m shared.catalogue
"""
from __future__ import annotations

import importlib
from functools import lru_cache

import shared.contracts  # noqa: F401 - registers every contract
from marshmallow import Schema, fields

from shared.events.contracts import all_contracts
from shared.services import SPECS

START, END = "<!-- event-catalogue:start -->", "<!-- event-catalogue:end -->"


def _fields(schema: Schema) -> str:
    parts = []
    for name, field in schema.fields.items():
        nested = getattr(field, "schema", None) if isinstance(field, fields.Nested) else None
        inner = f" ({', '.join(nested.fields)})" if nested is not None else ""
        parts.append(f"`{name}`{inner}")
    return ", ".join(parts)


def producer_of(topic: str) -> str:
    return next((s.name for s in SPECS.values() if s.topic == topic), "?")


@lru_cache(maxsize=None)
def handled_types(service: str) -> frozenset[str]:
    """The event types a service's worker has handlers for (its registry, as the worker builds it)."""
    if not SPECS[service].consumes:
        return frozenset()
    registry = importlib.import_module(f"services.{service}.consumers").build_registry()
    return frozenset(registry.handlers)


def consumers_of(event_type: str) -> list[str]:
    """Services that handle the type (subscribing to its topic is not enough: unknown types are skipped)."""
    return [s.name for s in SPECS.values() if event_type in handled_types(s.name)]


def markdown() -> str:
    lines = ["| topic | type | data | producer | consumers | meaning |", "|---|---|---|---|---|---|"]
    for contract in sorted(all_contracts(), key=lambda c: (c.topic, c.type)):
        lines.append(f"| `kinerja.{contract.topic}` | `{contract.type}` | {_fields(contract.schema())} | "
                     f"{producer_of(contract.topic)} | {', '.join(consumers_of(contract.type)) or '-'} | "
                     f"{contract.description} |")
    return "\n".join(lines) + "\n"


def readme_section(readme: str) -> str:
    """The generated part of a README (between the markers)."""
    return readme.split(START, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def with_catalogue(readme: str) -> str:
    head, rest = readme.split(START, 1)
    return f"{head}{START}\n{markdown()}{END}{rest.split(END, 1)[1]}"


if __name__ == "__main__":
    print(markdown(), end="")
