"""Spreadsheets in and out, with one set of rules for every service:

- out: XLSX through openpyxl's write-only mode (rows go to a temporary file as they come, so a big export
  does not sit in memory) and CSV the way Excel in an Indonesian locale opens it (`;` between cells, decimal
  comma, a byte-order mark); each sheet with a bold, frozen header row and number formats;
- in: an uploaded workbook is checked before openpyxl reads it — a ZIP at all (415 otherwise), and no more
  than MAX_UNPACKED bytes once unpacked, counted while inflating (a zip bomb is refused with 413 without
  being inflated whole);
- text that a spreadsheet would take for a formula (it starts with =, +, -, @, a tab or a carriage return)
  is kept as text: a typed string cell in XLSX, a leading apostrophe in CSV (OWASP's CSV injection advice).
"""
from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from shared import formats
from shared.errors import TooLarge, Unsupported

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
MAX_UNPACKED = 64 * 1024 * 1024  # what an uploaded workbook may unpack to
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64 * 1024

# Number formats by kind of column (Excel shows them in the reader's locale: 78,89 in Indonesian).
NUMBER_FORMATS = {"number": "#,##0.##", "fixed": "#,##0.00", "integer": "#,##0", "percent": "#,##0.00",
                  "text": "@"}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")


@dataclass(frozen=True)
class SheetColumn:
    title: str
    width: float = 14
    kind: str = "text"  # number, fixed, integer, percent or text
    hidden: bool = False


@dataclass
class Sheet:
    title: str
    columns: tuple[SheetColumn, ...]
    rows: Iterable[tuple[Any, ...]]
    notes: tuple[str, ...] = field(default_factory=tuple)  # lines above nothing: a guide sheet's text


def formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def _cell(sheet, value: Any, column: SheetColumn, header: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if header:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever it starts with
        if formula_like(value):
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.number_format = NUMBER_FORMATS[column.kind if column.kind != "text" else "number"]
    return cell


def write_xlsx(sheets: Iterable[Sheet], target) -> None:
    """Write the sheets to `target` (a path or a binary file)."""
    book = Workbook(write_only=True)
    for spec in sheets:
        sheet = book.create_sheet(spec.title[:31])
        for index, column in enumerate(spec.columns, start=1):
            dimension = sheet.column_dimensions[get_column_letter(index)]
            dimension.width = column.width
            dimension.hidden = column.hidden
        if spec.notes and not spec.columns:
            sheet.column_dimensions["A"].width = 120
            for line in spec.notes:
                sheet.append([line])
            continue
        sheet.freeze_panes = "A2"
        sheet.append([_cell(sheet, c.title, c, header=True) for c in spec.columns])
        for row in spec.rows:
            sheet.append([_cell(sheet, value, column) for value, column in zip(row, spec.columns)])
    book.save(target)


def xlsx_chunks(sheets: Iterable[Sheet]) -> Iterator[bytes]:
    """The workbook as a stream of chunks, built in a temporary file (deleted once sent)."""
    spool = tempfile.TemporaryFile()
    try:
        write_xlsx(sheets, spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk
    finally:
        spool.close()


def csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return formats.number(value, 6).replace(".", "")  # decimal comma, no thousands dots: Excel reads it back
    text = str(value)
    return "'" + text if formula_like(text) else text


def csv_chunks(sheet: Sheet) -> Iterator[bytes]:
    """One sheet as CSV, a row at a time: `;`-separated with a byte-order mark, as Excel in id-ID reads it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.title for c in sheet.columns])
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for row in sheet.rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_text(v) for v in row])
        yield buffer.getvalue().encode("utf-8")


# -- uploads -------------------------------------------------------------------------------------

def _check_archive(data: bytes, max_unpacked: int) -> None:
    if not data.startswith(b"PK\x03\x04"):
        raise Unsupported("The file is not an Excel workbook (.xlsx); download the template and fill it in.",
                          kind="not-a-workbook")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = 0
        for member in archive.infolist():
            # Counted while inflating: the sizes a ZIP declares may lie.
            with archive.open(member) as stream:
                while chunk := stream.read(CHUNK):
                    unpacked += len(chunk)
                    if unpacked > max_unpacked:
                        raise TooLarge(f"The workbook unpacks to more than {max_unpacked // (1024 * 1024)} MiB; "
                                       "split it.", kind="unpacked-too-large", max_unpacked_bytes=max_unpacked)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError) as err:
        raise Unsupported(f"The file is not a readable Excel workbook ({err}).", kind="not-a-workbook") from None


@dataclass(frozen=True)
class UploadedRow:
    sheet: str
    row: int  # as Excel numbers it (the header is row 1)
    cells: dict[str, Any]  # by header title


def read_xlsx(data: bytes, sheet_titles: Iterable[str] | None, max_rows: int, max_unpacked: int = MAX_UNPACKED
              ) -> dict[str, list[UploadedRow]]:
    """The rows of the named sheets (those present; None: the first sheet, whatever its name), each cell by
    its column's header title. A cell holding a formula is given as its text (`=...`): nothing in an upload
    is ever evaluated."""
    _check_archive(data, max_unpacked)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as err:  # openpyxl raises many kinds for files that are ZIPs but no workbooks
        raise Unsupported(f"The file is not a readable Excel workbook ({type(err).__name__}).",
                          kind="not-a-workbook") from None
    out: dict[str, list[UploadedRow]] = {}
    try:
        seen = 0
        for title in book.sheetnames[:1] if sheet_titles is None else sheet_titles:
            if title not in book.sheetnames:
                continue
            rows = book[title].iter_rows(values_only=True)
            header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
            found = []
            for number, values in enumerate(rows, start=2):
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                seen += 1
                if seen > max_rows:
                    raise TooLarge(f"The workbook has more than {max_rows} rows; split it.", kind="too-many-rows",
                                   max_rows=max_rows)
                found.append(UploadedRow(title, number, {h: v for h, v in zip(header, values) if h}))
            out[title] = found
    finally:
        book.close()
    return out
