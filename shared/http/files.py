"""Files over HTTP, the same for every route: downloads with a meaningful name (RFC 6266: an ASCII name
and the UTF-8 one), streamed when they come in chunks; uploads read up to the upload limit
(KINERJA_MAX_UPLOAD_BYTES, larger than the JSON body limit) and refused with 415 unless of the media types
the route takes. The OpenAPI fragments that document them live here too."""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable
from urllib.parse import quote

from flask import Response, current_app, request

from shared.errors import Unsupported
from shared.spreadsheets import CSV, XLSX  # noqa: F401 (the media types of files, with PDF and DOCX here)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def disposition(filename: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-") or "kinerja"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_response(body: bytes | Iterable[bytes], media_type: str, filename: str) -> Response:
    """`body` (bytes, or chunks streamed as they are made) as an attachment named `filename`. Chunks are made
    from data read before the response starts (no request context is needed while they stream)."""
    content = body if isinstance(body, bytes) else iter(body)
    mimetype = f"{media_type}; charset=utf-8" if media_type == CSV else media_type
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = disposition(filename)
    return response


def uploaded(*media_types: str) -> bytes:
    """The request's body, if of one of `media_types` (415 otherwise), up to the upload limit (413)."""
    if request.mimetype not in media_types:
        raise Unsupported(f"Send the file as {', '.join(media_types)} (got {request.mimetype or 'no Content-Type'}).",
                          kind="unsupported-media-type")
    request.max_content_length = current_app.config["KINERJA_SETTINGS"].max_upload_bytes
    return request.get_data(cache=False)


def download(media_types: str | tuple[str, ...], description: str) -> dict:
    """The OpenAPI `responses` of a download route (its media types: one, or one per file extension)."""
    types = (media_types,) if isinstance(media_types, str) else media_types
    return {200: {"description": description,
                  "headers": {"Content-Disposition": {"schema": {"type": "string"},
                                                      "description": "attachment; the file's name"}},
                  "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in types}}}


def upload_body(media_type: str, description: str) -> dict:
    return {"required": True, "description": description,
            "content": {media_type: {"schema": {"type": "string", "format": "binary"}}}}
