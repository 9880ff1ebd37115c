"""Hostile files for the upload routes: each must be refused before anything reads it whole."""
from __future__ import annotations

import io
import zipfile

from shared.spreadsheets import XLSX  # noqa: F401 (the media type the upload tests send)


def zip_bomb(megabytes: int = 80) -> bytes:
    """A ZIP of well under a megabyte that inflates to `megabytes` MiB: above what a workbook may unpack to."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            for _ in range(megabytes):
                entry.write(b"\0" * 1024 * 1024)
    return buffer.getvalue()
