"""Generated files read back the way a reader's software reads them: PDF text by page (pypdf), DOCX
paragraphs, tables and headers (python-docx)."""
from __future__ import annotations

import io

import docx
from pypdf import PdfReader


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    return "\n".join(pdf_pages(data))


def docx_parts(data: bytes) -> tuple[str, list[list[list[str]]], str]:
    """(the body's paragraphs, every table as rows of cell texts, the headers' text)."""
    document = docx.Document(io.BytesIO(data))
    body = "\n".join(p.text for p in document.paragraphs)
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    headers = "\n".join(p.text for section in document.sections for p in section.header.paragraphs)
    return body, tables, headers
