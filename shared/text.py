"""Text that may be stored: one definition for every schema (API bodies, CSV rows, event contracts).

JSON bodies are checked once by shared.http.guards; text that arrives another way (a CSV import, a
query string) goes through this field, which refuses the same things: control characters such as NUL
(tab, newline and carriage return are fine) and lone UTF-16 surrogates."""
from __future__ import annotations

import re

from marshmallow import ValidationError, fields, validate

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def storable(value: str) -> None:
    """A marshmallow validator: raise ValidationError unless `value` is storable text."""
    if _CONTROL.search(value):
        raise ValidationError("control characters (such as NUL) are not allowed")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("lone UTF-16 surrogates are not text") from None


# The same rule for the OpenAPI document (JSON Schema `pattern`), so that clients know it.
STORABLE_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$"


class Text(fields.String):
    """A string field that only accepts storable text."""

    def __init__(self, *args, **kwargs):
        metadata = dict(kwargs.pop("metadata", {}) or {})
        validators = kwargs.get("validate")
        validators = validators if isinstance(validators, (list, tuple)) else [validators]
        if not any(isinstance(v, validate.Regexp) for v in validators):  # a Regexp documents a stricter pattern
            metadata.setdefault("pattern", STORABLE_PATTERN)
        super().__init__(*args, metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        storable(text)
        return text


class Flag(fields.Boolean):
    """A JSON body's true or false, and nothing else (marshmallow's Boolean also takes 0, 1, "yes", "on"…, which
    the OpenAPI document, saying boolean, does not promise)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):  # (a set of {True} would still hold 1: 1 == True)
            raise self.make_error("invalid", input=value)
        return value
