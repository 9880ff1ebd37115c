"""The registry of event contracts: one marshmallow schema per event type, shared by the
producer (which validates before it records the event) and every consumer (which validates
before it handles it).

Types are versioned in their name (`...v1`); changes within a version are additive only, and
contract schemas exclude unknown fields so an older consumer keeps working.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError

from shared.events.envelope import Event, new_event


class ContractViolation(ValueError):
    """Event data that does not satisfy its type's contract."""


class ContractSchema(Schema):
    """Base for event data schemas: unknown fields are ignored, never an error."""

    class Meta:
        unknown = EXCLUDE


@dataclass(frozen=True)
class EventContract:
    type: str
    schema: type[Schema]
    topic: str  # the producing service's topic (without namespace), e.g. "agencies.events"
    description: str

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        try:
            return _loader(self.schema).load(data)
        except ValidationError as err:
            raise ContractViolation(f"{self.type}: {err.messages}") from None

    def build(self, *, source: str, subject: str, sequence: int, data: dict[str, Any]) -> Event:
        """A new event of this type; the data is checked against the contract first."""
        self.validate(data)
        return new_event(type=self.type, source=source, subject=subject, sequence=sequence, data=data)


@lru_cache(maxsize=None)
def _loader(schema: type[Schema]) -> Schema:
    """One instance per schema: building a marshmallow schema costs more than loading with it, and a
    schema instance is safe to share for loading."""
    return schema()


_REGISTRY: dict[str, EventContract] = {}


def register(contract: EventContract) -> EventContract:
    if contract.type in _REGISTRY and _REGISTRY[contract.type] is not contract:
        raise ValueError(f"event type {contract.type} is registered twice")
    _REGISTRY[contract.type] = contract
    return contract


def contract_for(event_type: str) -> EventContract | None:
    return _REGISTRY.get(event_type)


def all_contracts() -> list[EventContract]:
    return sorted(_REGISTRY.values(), key=lambda c: c.type)
