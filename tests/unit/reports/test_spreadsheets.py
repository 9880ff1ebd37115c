"""Sheets out (formats, frozen header, text that looks like a formula kept as text) and uploads in (not a
workbook: 415; a zip bomb: 413 without inflating it whole; too many rows: 413; formulas never evaluated)."""
from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from shared.errors import TooLarge, Unsupported
from shared.spreadsheets import Sheet, SheetColumn, csv_chunks, read_xlsx, xlsx_chunks

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"klik\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "biasa"]
SHEET = Sheet("Indikator", (SheetColumn("Kode"), SheetColumn("Capaian (%)", kind="fixed"), SheetColumn("Catatan")),
              [("IKU-01", 92.8071, HOSTILE[0]), ("IKU-02", 100, "biasa")])


def _book(chunks) -> "Workbook":
    return load_workbook(io.BytesIO(b"".join(chunks)))


def test_a_sheet_has_a_bold_frozen_header_and_numbers_as_numbers():
    sheet = _book(xlsx_chunks([SHEET]))["Indikator"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["Kode", "Capaian (%)", "Catatan"] and sheet["A1"].font.b
    assert (sheet["B2"].value, sheet["B2"].number_format) == (92.8071, "#,##0.00")


def test_text_that_looks_like_a_formula_stays_text_in_xlsx_and_csv():
    rows = [(f"K{i}", None, value) for i, value in enumerate(HOSTILE)]
    book = _book(xlsx_chunks([Sheet("x", SHEET.columns, rows)]))
    cells = [book["x"].cell(row=i + 2, column=3) for i in range(len(HOSTILE))]
    assert [c.value for c in cells] == HOSTILE
    assert {c.data_type for c in cells} == {"s"}
    assert [c.quotePrefix for c in cells] == [True] * 5 + [False]
    csv = b"".join(csv_chunks(Sheet("x", SHEET.columns, rows))).decode("utf-8-sig").splitlines()
    assert [line.split(";", 2)[2].strip('"').replace('""', '"') for line in csv[1:]] == ["'" + v for v in HOSTILE[:5]] + ["biasa"]


def test_csv_is_what_excel_in_indonesian_opens():
    lines = b"".join(csv_chunks(SHEET)).decode("utf-8")
    assert lines.startswith("\ufeffKode;Capaian (%);Catatan\r\n")
    assert "IKU-01;92,8071;" in lines and "IKU-02;100;biasa" in lines


def _workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Realisasi"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_upload_gives_each_cell_by_its_header_and_formulas_as_their_text():
    data = _workbook([["Kunci", "Realisasi"], ["a:2025", 70], [None, None], ["b:2025", "=1+1"]])
    rows = read_xlsx(data, ["Realisasi", "Other"], max_rows=10)["Realisasi"]
    assert [(r.row, r.cells) for r in rows] == [(2, {"Kunci": "a:2025", "Realisasi": 70}),
                                                (4, {"Kunci": "b:2025", "Realisasi": "=1+1"})]


@pytest.mark.parametrize("data", [b"code,name\n1,x\n", b"%PDF-1.7 ...", b"PK\x03\x04 not really a zip"])
def test_what_is_no_workbook_is_refused_as_unsupported(data):
    with pytest.raises(Unsupported):
        read_xlsx(data, ["Realisasi"], max_rows=10)


def test_a_zip_that_is_no_workbook_is_refused_as_unsupported():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "halo")
    with pytest.raises(Unsupported):
        read_xlsx(buffer.getvalue(), ["Realisasi"], max_rows=10)


def test_a_zip_bomb_is_refused_without_inflating_it_in_memory():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            block = b"<c>0</c>" * 128 * 1024  # 1 MiB
            for _ in range(100):  # 100 MiB unpacked, about 100 KiB packed
                entry.write(block)
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge) as refused:
            read_xlsx(data, ["Realisasi"], max_rows=10, max_unpacked=64 * 1024 * 1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refused.value.kind == "unpacked-too-large"
    assert peak < 8 * 1024 * 1024


def test_more_rows_than_an_upload_takes_are_refused():
    data = _workbook([["Kunci"], *[[f"k{i}"] for i in range(11)]])
    with pytest.raises(TooLarge):
        read_xlsx(data, ["Realisasi"], max_rows=10)
