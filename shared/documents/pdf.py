"""A document (shared.documents.model) as PDF, drawn by ReportLab's page layout engine (platypus): A4,
tables that split across pages with their header row repeated, the draft watermark and the footer with
the page number on every page. Text is set in DejaVu (Debian's fonts-dejavu-core: every character of
Indonesian text and the signs of targets such as ≥), falling back to the PDF core fonts if it is absent."""
from __future__ import annotations

import io
import os
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)
from xml.sax.saxutils import escape

from shared.documents import model

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")
ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


@lru_cache(maxsize=1)
def fonts() -> tuple[str, str]:
    """(regular, bold) font names, registered once per process."""
    for folder in FONT_DIRS:
        regular, bold = os.path.join(folder, "DejaVuSans.ttf"), os.path.join(folder, "DejaVuSans-Bold.ttf")
        if os.path.exists(regular) and os.path.exists(bold):
            pdfmetrics.registerFont(TTFont("DejaVuSans", regular))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", bold))
            return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts()
    base = ParagraphStyle("body", fontName=regular, fontSize=10, leading=14, alignment=TA_JUSTIFY, spaceAfter=6)
    return {
        "body": base,
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "big": ParagraphStyle("big", parent=base, fontName=bold, fontSize=14, leading=20, alignment=TA_CENTER),
        "quote": ParagraphStyle("quote", parent=base, leftIndent=1 * cm, rightIndent=1 * cm),
        "h0": ParagraphStyle("h0", parent=base, fontName=bold, fontSize=20, leading=28, alignment=TA_CENTER,
                             spaceBefore=6 * cm, spaceAfter=18),
        "h1": ParagraphStyle("h1", parent=base, fontName=bold, fontSize=14, leading=18, alignment=TA_CENTER,
                             spaceBefore=6, spaceAfter=12),
        "h2": ParagraphStyle("h2", parent=base, fontName=bold, fontSize=11, leading=15, spaceBefore=10,
                             spaceAfter=6, alignment=TA_LEFT),
        "h3": ParagraphStyle("h3", parent=base, fontName=bold, fontSize=10, leading=14, spaceBefore=6,
                             spaceAfter=4, alignment=TA_LEFT),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10, alignment=TA_LEFT, spaceAfter=0),
        "head": ParagraphStyle("head", parent=base, fontName=bold, fontSize=8, leading=10, alignment=TA_CENTER,
                               spaceAfter=0),
    }


def _text(text: str) -> str:
    """Plain text for a platypus Paragraph, which reads a little markup: escape it, keep line breaks."""
    return escape(text).replace("\n", "<br/>")


def _cell(text: str, align: str, bold: bool = False) -> Paragraph:
    style = styles()["head" if bold else "cell"]
    return Paragraph(_text(text), ParagraphStyle(f"cell-{align}-{bold}", parent=style, alignment=ALIGN[align]))


def _table(table: model.Table, width: float) -> list:
    total = sum(c.width for c in table.columns)
    widths = [width * c.width / total for c in table.columns]
    data = [[_cell(c.title, "center", bold=True) for c in table.columns]]
    data += [[_cell(value, c.align) for value, c in zip(row, table.columns)] for row in table.rows]
    if table.total:
        data.append([_cell(value, c.align, bold=True) for value, c in zip(table.total, table.columns)])
    flowable = Table(data, colWidths=widths, repeatRows=1)
    flowable.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#d9e2f3")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    parts = []
    if table.caption:
        parts.append(Paragraph(_text(table.caption), styles()["h3"]))
    return [*parts, flowable, Spacer(1, 8)]


def _signatures(signatures: model.Signatures, width: float) -> list:
    cells = []
    for block in signatures.blocks:
        lines = [block.above, block.role, "", "", "", block.name] + ([block.title] if block.title else [])
        cells.append(Paragraph("<br/>".join(_text(line) for line in lines), styles()["center"]))
    table = Table([cells], colWidths=[width / len(cells)] * len(cells))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return [Spacer(1, 18), KeepTogether([table])]


def _flowables(document: model.Document, width: float) -> list:
    out: list = []
    for block in document.blocks:
        if isinstance(block, model.Heading):
            out.append(Paragraph(_text(block.text), styles()[f"h{block.level}"]))
        elif isinstance(block, model.Paragraph):
            out.append(Paragraph(_text(block.text), styles()[block.style]))
        elif isinstance(block, model.Table):
            out += _table(block, width)
        elif isinstance(block, model.Signatures):
            out += _signatures(block, width)
        elif isinstance(block, model.PageBreak):
            out.append(PageBreak())
    return out


def _decorate(document: model.Document):
    regular, bold = fonts()

    def on_page(canvas, doc) -> None:
        page_width, page_height = doc.pagesize
        canvas.saveState()
        if document.watermark:
            canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.18))
            canvas.setFont(bold, 72)
            canvas.translate(page_width / 2, page_height / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, 0, document.watermark)
            canvas.rotate(-45)
            canvas.translate(-page_width / 2, -page_height / 2)
        canvas.setFillColor(colors.black)
        canvas.setFont(regular, 8)
        canvas.drawString(2 * cm, 1.2 * cm, document.footer)
        canvas.drawRightString(page_width - 2 * cm, 1.2 * cm, f"Halaman {doc.page}")
        canvas.restoreState()
    return on_page


def render(document: model.Document) -> bytes:
    buffer = io.BytesIO()
    size = landscape(A4) if document.landscape else A4
    template = SimpleDocTemplate(buffer, pagesize=size, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                                 bottomMargin=2 * cm, title=document.title, author=document.author,
                                 subject=document.title, keywords=", ".join(document.keywords), lang="id-ID")
    decorate = _decorate(document)
    template.build(_flowables(document, template.width), onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
