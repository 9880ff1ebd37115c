"""A document (shared.documents.model) as DOCX (python-docx): the same blocks as the PDF, as Word styles
(Title, Heading 1–3, tables in the grid style with their header row repeated on every page), the footer
with the page number and, while the document is a draft, the watermark's word in every page header."""
from __future__ import annotations

import io

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from shared.documents import model

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
HEADER_FILL = "D9E2F3"


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _write(cell, text: str, align: str, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = ALIGN[align]
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(8)


def _table(word, table: model.Table, width_cm: float) -> None:
    if table.caption:
        word.add_heading(table.caption, level=3)
    grid = word.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(c.width for c in table.columns)
    header = grid.rows[0]
    _repeat_header(header)
    for cell, column in zip(header.cells, table.columns):
        _write(cell, column.title, "center", bold=True)
        _shade(cell, HEADER_FILL)
    for values, bold in [*((row, False) for row in table.rows), *(((table.total, True),) if table.total else ())]:
        cells = grid.add_row().cells
        for cell, value, column in zip(cells, values, table.columns):
            _write(cell, value, column.align, bold)
    for index, column in enumerate(table.columns):
        for cell in grid.columns[index].cells:
            cell.width = Cm(width_cm * column.width / total)
    word.add_paragraph()


def _signatures(word, signatures: model.Signatures) -> None:
    grid = word.add_table(rows=1, cols=len(signatures.blocks))
    for cell, block in zip(grid.rows[0].cells, signatures.blocks):
        lines = [block.above, block.role, "", "", "", block.name] + ([block.title] if block.title else [])
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for i, line in enumerate(lines):
            run = paragraph.add_run(line)
            run.bold = line == block.name
            if i < len(lines) - 1:
                run.add_break()


def _page_number(paragraph) -> None:
    """A PAGE field: Word fills in the number of each page."""
    paragraph.add_run("Halaman ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _page_furniture(word, document: model.Document) -> None:
    section = word.sections[0]
    if document.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    footer = section.footer.paragraphs[0]
    footer.text = f"{document.footer}\t\t" if document.footer else ""
    _page_number(footer)
    if document.watermark:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = header.add_run(document.watermark)
        run.bold = True
        run.font.size = Pt(28)
        run.font.color.rgb = RGBColor(0xC0, 0x30, 0x30)


def render(document: model.Document) -> bytes:
    word = WordDocument()
    word.core_properties.title = document.title
    word.core_properties.author = document.author
    word.core_properties.language = "id-ID"
    word.core_properties.keywords = ", ".join(document.keywords)
    normal = word.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(10)
    _page_furniture(word, document)
    section = word.sections[0]
    width_cm = (section.page_width - section.left_margin - section.right_margin) / 360000
    pending_break = False
    for block in document.blocks:
        if isinstance(block, model.PageBreak):
            pending_break = True
            continue
        if pending_break:
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            pending_break = False
        if isinstance(block, model.Heading):
            if block.level == 0:
                word.add_paragraph(block.text, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
            else:
                word.add_heading(block.text, level=block.level)
        elif isinstance(block, model.Paragraph):
            paragraph = word.add_paragraph(block.text)
            if block.style in ("center", "big"):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if block.style == "big":
                paragraph.runs[0].bold = True
                paragraph.runs[0].font.size = Pt(14)
            elif block.style == "small":
                paragraph.runs[0].font.size = Pt(8)
        elif isinstance(block, model.Table):
            _table(word, block, width_cm)
        elif isinstance(block, model.Signatures):
            _signatures(word, block)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
