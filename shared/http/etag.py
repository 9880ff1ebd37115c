"""ETags are aggregate versions: cheap, exact, and what If-Match compares against."""
from __future__ import annotations

import re

from flask import request

from shared.http.problems import Problem

_ETAG = re.compile(r'^(?:W/)?"(\d{1,18})"$')

# OpenAPI parameter objects for the routes that take If-Match.
IF_MATCH = {"in": "header", "name": "If-Match", "required": True, "schema": {"type": "string"},
            "description": 'The ETag last read (e.g. "3"); without it the request is refused with 428'}
IF_MATCH_OPTIONAL = {**IF_MATCH, "required": False,
                     "description": 'The ETag last read (e.g. "3"); when given, a newer version refuses the change (412)'}


def etag_headers(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def with_etag(state: dict, status: int = 200) -> tuple[dict, int, dict[str, str]]:
    """A view's answer for an aggregate's public state: the body, the status and its ETag."""
    return state, status, etag_headers(state["version"])


def if_match_version(required: bool) -> int | None:
    """The version named by If-Match; 428 when `required` and absent, 400 when not one of our ETags."""
    header = request.headers.get("If-Match")
    if header is None:
        if required:
            raise Problem(428, "Send If-Match with the ETag you last read, so a concurrent change is not overwritten.")
        return None
    match = _ETAG.match(header.strip())
    if not match:
        raise Problem(400, f'If-Match must be an ETag such as "3" (got {header[:40]!r}).')
    return int(match.group(1))
