"""The event envelope, shaped like CloudEvents 1.0 (structured JSON mode).

`sequence` is the aggregate's version after the change, which is what lets consumers apply
events idempotently; `correlationid` is a CloudEvents extension attribute that carries the
request's correlation id to whoever handles the event.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, fields as dataclass_fields
from datetime import datetime, timezone
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from shared.logging import get_correlation_id

SPEC_VERSION = "1.0"


class MalformedEvent(ValueError):
    """The bytes are not a valid event envelope; retrying will not help."""


class _EnvelopeSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # consumers ignore unknown fields: producers may add some

    specversion = fields.String(required=True, validate=validate.Equal(SPEC_VERSION))
    id = fields.UUID(required=True)
    type = fields.String(required=True, validate=validate.Length(min=1, max=200))
    source = fields.String(required=True, validate=validate.Length(min=1, max=200))
    subject = fields.String(required=True, validate=validate.Length(min=1, max=200))
    time = fields.AwareDateTime(required=True, format="iso")
    datacontenttype = fields.String(load_default="application/json")
    sequence = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    correlationid = fields.String(load_default=None, allow_none=True)
    data = fields.Dict(required=True)


_SCHEMA = _EnvelopeSchema()


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    source: str
    subject: str
    time: str
    sequence: int
    data: dict[str, Any]
    correlationid: str | None = None
    specversion: str = SPEC_VERSION
    datacontenttype: str = "application/json"

    def to_dict(self) -> dict[str, Any]:
        """JSON-native form, as stored in an outbox and sent to Kafka. Shallow: the data is the event's own."""
        return {name: getattr(self, name) for name in _FIELDS}

    def to_json(self) -> bytes:
        return json.dumps(self.to_dict(), separators=(",", ":"), ensure_ascii=False).encode()

    @classmethod
    def from_dict(cls, raw: Any) -> "Event":
        if not isinstance(raw, dict):
            raise MalformedEvent("an event must be a JSON object")
        try:
            loaded = _SCHEMA.load(raw)
        except ValidationError as err:
            raise MalformedEvent(f"invalid envelope: {err.messages}") from None
        loaded["id"] = str(loaded["id"])
        loaded["time"] = loaded["time"].isoformat()
        return cls(**loaded)

    @classmethod
    def from_json(cls, payload: bytes | None) -> "Event":
        if payload is None:
            raise MalformedEvent("empty message")
        try:
            raw = json.loads(payload)
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise MalformedEvent(f"not JSON: {err}") from None
        return cls.from_dict(raw)


_FIELDS = tuple(f.name for f in dataclass_fields(Event))


def new_event(*, type: str, source: str, subject: str, sequence: int, data: dict[str, Any]) -> Event:
    """A new event stamped with a fresh id, the current time and the current correlation id."""
    return Event(
        id=str(uuid.uuid4()),
        type=type,
        source=source,
        subject=subject,
        time=datetime.now(timezone.utc).isoformat(),
        sequence=sequence,
        data=data,
        correlationid=get_correlation_id(),
    )
