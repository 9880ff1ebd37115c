"""What a printable document is made of, independent of its format: headings, paragraphs, tables,
signature blocks, page breaks. Builders (e.g. services.indicators.reports.lkjip) produce these from the
service's data with every number already written the Indonesian way (shared.formats); the renderers
(shared.documents.pdf, shared.documents.docx) draw them, so a report reads the same in both formats."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 0: the title of a cover page; 1: a chapter; 2: a section; 3: a subsection


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Literal["body", "center", "small", "big", "quote"] = "body"


@dataclass(frozen=True)
class Column:
    title: str
    width: float = 1.0  # relative to the other columns
    align: Align = "left"


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str | None = None
    total: tuple[str, ...] | None = None  # a last row, set in bold (sums)


@dataclass(frozen=True)
class Signature:
    """One signature block: the line above (place and date, or empty), the role and the person."""

    above: str
    role: str
    name: str
    title: str | None = None


@dataclass(frozen=True)
class Signatures:
    blocks: tuple[Signature, ...]


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Union[Heading, Paragraph, Table, Signatures, PageBreak]


@dataclass(frozen=True)
class Document:
    """`watermark`: drawn across every page while the document is a draft (None once it is final);
    `footer`: on every page, with the page number; `landscape`: for wide tables."""

    title: str
    blocks: tuple[Block, ...]
    author: str = "Kinerja"
    watermark: str | None = None
    footer: str = ""
    landscape: bool = False
    keywords: tuple[str, ...] = field(default_factory=tuple)
