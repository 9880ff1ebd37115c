"""Refusals of hostile input before any view, schema or database sees it.

Python's JSON parser accepts what MongoDB and the rest of the system cannot hold, and a few inputs
crash it outright; each becomes a clear 400/414/422 problem here instead of a 500 later:
- nesting deeper than MAX_DEPTH (Python's parser recurses and fails near 1,000 levels);
- lone UTF-16 surrogates (`"\\ud800"`): valid JSON escapes, but not text, and not storable as UTF-8;
- control characters (NUL and friends; tab, newline and carriage return are fine) inside strings;
- integers beyond 64 bits and non-finite numbers (MongoDB stores neither);
- request lines longer than MAX_URL_LENGTH (414).
"""
from __future__ import annotations

import json
import math
import re
from typing import Any, Iterator

from flask import request
from marshmallow import ValidationError

from shared.http.problems import Problem
from shared.text import storable

MAX_DEPTH = 32
MAX_URL_LENGTH = 4096
MAX_INT = 2 ** 63 - 1

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(rb"[\[\]{}]")


def check_url() -> None:
    if len(request.full_path) > MAX_URL_LENGTH:
        raise Problem(414, f"The URL is longer than {MAX_URL_LENGTH} characters.")


def _depth(body: bytes) -> int:
    """Deepest nesting of a JSON text, counted over its brackets outside strings (no recursion)."""
    deepest = depth = 0
    for bracket in _BRACKETS.findall(_STRING.sub(b'""', body)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _walk(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(key, f"{path}.{key}" if path else str(key))
            yield from _walk(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def _problem(value: Any) -> str | None:
    if isinstance(value, str):
        try:
            storable(value)
        except ValidationError as err:
            return err.messages[0]
    elif isinstance(value, bool):
        return None
    elif isinstance(value, int) and abs(value) > MAX_INT:
        return "is a number larger than 64 bits"
    elif isinstance(value, float) and not math.isfinite(value):
        return "is not a finite number"
    return None


def check_json_body() -> None:
    """Refuse a JSON body that is nested too deeply or holds what cannot be stored."""
    if not request.is_json:
        return
    body = request.get_data(cache=True)
    if not body:
        return
    if _depth(body) > MAX_DEPTH:
        raise Problem(400, f"The JSON body is nested deeper than {MAX_DEPTH} levels.")
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return  # malformed JSON: the request parser answers 400 with its own message
    errors = {}
    for path, value in _walk(document, ""):
        reason = _problem(value)
        if reason and (path or "body") not in errors:
            errors[path or "body"] = [reason]
    if errors:
        raise Problem(422, "One or more fields are invalid; see errors.", errors=errors)
