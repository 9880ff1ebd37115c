"""Serving a stored projection as it is: the document a read found, as JSON, without dumping it through its
marshmallow schema again (the schema still documents the answer in the OpenAPI spec; the stored form is
written in that shape). What makes a GET one round trip and little else."""
from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from flask import Response


def _encode(value: Any) -> str:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def stored_response(body: dict[str, Any], *, version: int | None = None, status: int = 200) -> Response:
    """`body` as the answer, with its ETag when `version` is given."""
    response = Response(json.dumps(body, default=_encode, ensure_ascii=False, separators=(",", ":")), status=status,
                        mimetype="application/json")
    if version is not None:
        response.headers["ETag"] = f'"{version}"'
    return response
