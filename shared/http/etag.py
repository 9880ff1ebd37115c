"""ETags are aggregate versions: cheap, exact, and what If-Match compares against."""
from __future__ import annotations

import re

from flask import request

from shared.http.problems import Problem

_ETAG = re.compile(r'^(?:W/)?"(\d{1,18})"$')
ANY = "*"

# OpenAPI parameter objects for the routes that take If-Match.
IF_MATCH = {"in": "header", "name": "If-Match", "required": True, "schema": {"type": "string"},
            "description": 'The ETag last read (e.g. "3"), or * for "whatever the current version is"; '
                           "without it the request is refused with 428, and any other value with 412"}
IF_MATCH_OPTIONAL = {**IF_MATCH, "required": False,
                     "description": 'The ETag last read (e.g. "3"); when given, a newer version refuses the change (412)'}


def etag_headers(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def with_etag(state: dict, status: int = 200) -> tuple[dict, int, dict[str, str]]:
    """A view's answer for an aggregate's public state: the body, the status and its ETag."""
    return state, status, etag_headers(state["version"])


# What a malformed If-Match names: no version, so the condition is false and the write gets 412
# (RFC 9110, 13.1.1: a value that is neither * nor a matching entity-tag evaluates to false).
NO_VERSION = -1


def if_match_version(required: bool) -> int | None:
    """The version named by If-Match (None for `*`: any current version; NO_VERSION for a value that is
    not one of our ETags); 428 when `required` and absent."""
    header = request.headers.get("If-Match")
    if header is None:
        if required:
            raise Problem(428, "Send If-Match with the ETag you last read, so a concurrent change is not overwritten.")
        return None
    if header.strip() == ANY:
        return None
    match = _ETAG.match(header.strip())
    return int(match.group(1)) if match else NO_VERSION
