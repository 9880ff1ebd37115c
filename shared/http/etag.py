"""ETags are aggregate versions: cheap, exact, and what If-Match compares against."""
from __future__ import annotations

import re

from flask import request

from shared.http.problems import Problem

_ETAG = re.compile(r'^(?:W/)?"(\d+)"$')


def etag_headers(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def if_match_version(required: bool) -> int | None:
    """The version named by If-Match; 428 when `required` and absent, 400 when not one of our ETags."""
    header = request.headers.get("If-Match")
    if header is None:
        if required:
            raise Problem(428, "Send If-Match with the ETag you last read, so a concurrent change is not overwritten.")
        return None
    match = _ETAG.match(header.strip())
    if not match:
        raise Problem(400, f'If-Match must be an ETag such as "3" (got {header!r}).')
    return int(match.group(1))
