"""The Excel templates downloaded, filled in by hand (openpyxl, as Excel would save them) and uploaded back:
every bad cell reported by sheet, row and column with nothing written; applied through the commands (scope,
workflow, locks, frozen targets); uploaded again: every row unchanged and no new event (by event id)."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from shared.errors import Forbidden, Invalid
from shared.spreadsheets import read_xlsx, write_xlsx
from services.indicators.commands.imports import (import_planning, import_reporting, planning_entries,
                                                  reporting_entries)
from services.indicators.commands.locks import lock_period
from services.indicators.domain.periods import Period
from services.indicators.reports.templates import planning_template, reporting_template
from tests.support.fakes import pending_events
from tests.unit.indicators.conftest import indicator_of
from tests.unit.indicators.test_plans_and_agreements import signed

INJECTION = '=HYPERLINK("http://evil.example","klik")'


def _template(repo, tree, sheets) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(sheets, buffer)
    return buffer.getvalue()


def _fill(data: bytes, sheet: str, by_key: dict[str, dict]) -> bytes:
    """Set cells (by header title) of the rows whose Kunci is given, as a person would in Excel."""
    book = load_workbook(io.BytesIO(data))
    rows = book[sheet]
    header = {cell.value: cell.column for cell in rows[1]}
    for row in rows.iter_rows(min_row=2):
        for title, value in by_key.get(row[0].value, {}).items():
            rows.cell(row=row[0].row, column=header[title], value=value)
    for key in set(by_key) - {row[0].value for row in rows.iter_rows(min_row=2)}:
        rows.append([key, *[by_key[key].get(h) for h in list(header)[1:]]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(data: bytes, sheet: str):
    return read_xlsx(data, [sheet], max_rows=1000)


@pytest.fixture
def unit_indicators(as_, tree):
    quarterly = indicator_of(as_(), tree["pendidikan"], code="IKU-Q", frequency="quarterly")
    annual = indicator_of(as_(), tree["kesehatan"], code="IKU-A")
    return quarterly, annual


def _reporting(as_, tree, period="2025"):
    entries = reporting_entries(as_.repo, tree["tanjabbar"], Period(2025) if period == "2025" else Period(2025, 1))
    return _template(as_.repo, tree, reporting_template(as_.repo.agency(tree["tanjabbar"]), Period(2025), entries))


def test_the_reporting_template_holds_each_indicator_of_the_subtree_and_period(as_, tree, unit_indicators):
    quarterly, annual = unit_indicators
    sheet = load_workbook(io.BytesIO(_reporting(as_, tree)))["Realisasi"]
    keys = [row[0].value for row in sheet.iter_rows(min_row=2)]
    # by agency code (Kesehatan before Pendidikan), then indicator code and period
    assert keys == [f"{annual['id']}:2025"] + [f"{quarterly['id']}:2025Q{q}" for q in range(1, 5)]
    assert sheet.column_dimensions["A"].hidden and sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[3]][5:8] == ["%", "TW I 2025", "–"]


def test_bad_cells_are_each_reported_and_nothing_is_written(as_, tree, unit_indicators):
    quarterly, annual = unit_indicators
    filled = _fill(_reporting(as_, tree), "Realisasi", {
        f"{quarterly['id']}:2025Q1": {"Realisasi": "tujuh puluh"},
        f"{quarterly['id']}:2025Q2": {"Realisasi": "=A1*2", "Ajukan (Ya/Tidak)": "mungkin"},
        f"{quarterly['id']}:2025Q3": {"Realisasi": 71, "Tautan Bukti": "ftp://files.example/a.pdf"},
        f"{annual['id']}:2025": {"Catatan": "tanpa angka"},
        "someone-else:2025": {"Realisasi": 1},
    })
    with pytest.raises(Invalid) as refused:
        import_reporting(as_("operator", "tanjabbar"), tree["tanjabbar"], "2025", _upload(filled, "Realisasi"), True)
    assert refused.value.extensions["cells"] == [
        {"sheet": "Realisasi", "row": 2, "column": "Realisasi",
         "reason": "isi Realisasi untuk mencatat bukti atau catatan"},
        {"sheet": "Realisasi", "row": 3, "column": "Realisasi", "reason": "'tujuh puluh' bukan angka"},
        {"sheet": "Realisasi", "row": 4, "column": "Realisasi", "reason": "rumus tidak diterima: ketik angkanya"},
        {"sheet": "Realisasi", "row": 4, "column": "Ajukan (Ya/Tidak)", "reason": "tulis Ya atau Tidak"},
        {"sheet": "Realisasi", "row": 5, "column": "Tautan Bukti",
         "reason": "baris 1: 'ftp://files.example/a.pdf' bukan tautan http(s)"},
        {"sheet": "Realisasi", "row": 7, "column": "Kunci (jangan diubah)",
         "reason": "baris ini bukan dari templat instansi dan periode ini (kolom Kunci diubah?)"},
    ]
    assert as_.repo.realisations.count({}) == 0 and pending_events(as_.repo.realisations) == []


def test_applied_then_uploaded_again_unchanged_with_no_new_event(as_, tree, unit_indicators):
    quarterly, annual = unit_indicators
    filled = _fill(_reporting(as_, tree), "Realisasi", {
        f"{quarterly['id']}:2025Q1": {"Realisasi": 70.5, "Catatan": INJECTION,
                                      "Tautan Bukti": "Notulen | https://drive.example/notulen.pdf\nhttps://x.example/f"},
        f"{quarterly['id']}:2025Q2": {"Realisasi": "72,25", "Ajukan (Ya/Tidak)": "Ya"},
        f"{annual['id']}:2025": {"Realisasi": 90, "Ajukan (Ya/Tidak)": "ya"},
    })
    operator = as_("operator", "tanjabbar", "operator@tanjabbar")
    planned = import_reporting(operator, tree["tanjabbar"], "2025", _upload(filled, "Realisasi"), True)
    assert (planned["recorded"], planned["submitted"], planned["skipped"], planned["unchanged"]) == (1, 2, 2, 0)
    assert as_.repo.realisations.count({}) == 0
    applied = import_reporting(operator, tree["tanjabbar"], "2025", _upload(filled, "Realisasi"), False)
    assert [r["outcome"] for r in applied["rows"]] == ["submitted", "recorded", "submitted", "skipped", "skipped"]
    q1 = as_.repo.realisations.get(f"{quarterly['id']}:2025Q1")
    assert (q1["status"], q1["value"], q1["note"]) == ("draft", 70.5, INJECTION)
    assert q1["evidence"] == [{"title": "Notulen", "link": "https://drive.example/notulen.pdf"},
                              {"title": "Bukti 2", "link": "https://x.example/f"}]
    assert {r["status"] for r in as_.repo.realisations.find({})} == {"draft", "submitted"}  # never verified
    events = [e.id for e in pending_events(as_.repo.realisations)]
    assert len(events) == 5  # recorded, recorded + submitted twice
    again = import_reporting(operator, tree["tanjabbar"], "2025", _upload(filled, "Realisasi"), False)
    assert [r["outcome"] for r in again["rows"]] == ["unchanged", "unchanged", "unchanged", "skipped", "skipped"]
    assert [e.id for e in pending_events(as_.repo.realisations)] == events
    downloaded = load_workbook(io.BytesIO(_reporting(as_, tree)))["Realisasi"]
    note = downloaded.cell(row=3, column=11)
    assert (note.value, note.data_type, note.quotePrefix) == (INJECTION, "s", True)  # written back escaped


def test_a_locked_period_and_a_submitted_value_changed_are_refused_by_cell(as_, tree, unit_indicators):
    quarterly, annual = unit_indicators
    operator = as_("operator", "tanjabbar", "operator@tanjabbar")
    first = _fill(_reporting(as_, tree), "Realisasi", {f"{annual['id']}:2025": {"Realisasi": 90, "Ajukan (Ya/Tidak)": "Ya"}})
    import_reporting(operator, tree["tanjabbar"], "2025", _upload(first, "Realisasi"), False)
    lock_period(as_("evaluator", "tanjabbar", "kepala@inspektorat"), tree["pendidikan"], "2025Q1", "closing")
    second = _fill(_reporting(as_, tree), "Realisasi", {f"{quarterly['id']}:2025Q1": {"Realisasi": 1},
                                                         f"{annual['id']}:2025": {"Realisasi": 91}})
    with pytest.raises(Invalid) as refused:
        import_reporting(operator, tree["tanjabbar"], "2025", _upload(second, "Realisasi"), True)
    cells = refused.value.extensions["cells"]
    assert [(c["row"], c["column"]) for c in cells] == [(2, "Realisasi"), (3, "Periode")]
    assert cells[0]["reason"].startswith("A submitted realisation cannot be recorded")
    assert cells[1]["reason"].startswith("Period 2025Q1 is locked by kepala@inspektorat")


@pytest.mark.parametrize("role, home", [("operator", "kesehatan"), ("operator", "tanjabtim"), ("evaluator", "tanjabbar"),
                                        ("viewer", "tanjabbar")])
def test_who_may_not_write_the_subtree_may_not_upload(as_, tree, unit_indicators, role, home):
    filled = _fill(_reporting(as_, tree), "Realisasi", {f"{unit_indicators[1]['id']}:2025": {"Realisasi": 90}})
    with pytest.raises(Forbidden):
        import_reporting(as_(role, home), tree["tanjabbar"], "2025", _upload(filled, "Realisasi"), True)
    assert as_.repo.realisations.count({}) == 0


def _planning(as_, tree) -> bytes:
    entries = planning_entries(as_.repo, tree["tanjabbar"], 2025)
    return _template(as_.repo, tree, planning_template(as_.repo.agency(tree["tanjabbar"]), 2025, entries))


def test_targets_from_the_planning_template_with_the_agreement_s_frozen_ones_refused(as_, tree, unit_indicators):
    quarterly, annual = unit_indicators
    agreement = signed(as_, "kesehatan", annual, target=95, head={"name": "dr. Siti", "title": "Kepala Dinas"},
                       superior={"name": "H. Anwar Sadat", "title": "Bupati"})
    sheet = load_workbook(io.BytesIO(_planning(as_, tree)))["Target"]
    keys = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert keys == [f"{annual['id']}:2025", f"{quarterly['id']}:2025",
                    *[f"{quarterly['id']}:2025Q{q}" for q in range(1, 5)]]
    operator = as_("operator", "tanjabbar", "planner@bappeda")
    filled = _fill(_planning(as_, tree), "Target", {
        f"{quarterly['id']}:2025": {"Target": 80}, f"{quarterly['id']}:2025Q1": {"Target Min": 70, "Target Maks": 75},
        f"{annual['id']}:2025": {"Target": 99, "Alasan perubahan": "naik"}})
    with pytest.raises(Invalid) as refused:
        import_planning(operator, tree["tanjabbar"], 2025, _upload(filled, "Target"), True)
    [cell] = refused.value.extensions["cells"]
    assert (cell["row"], cell["column"]) == (2, "Target")
    assert f"signed performance agreement {agreement['id']} (version 1)" in cell["reason"]
    filled = _fill(_planning(as_, tree), "Target", {
        f"{quarterly['id']}:2025": {"Target": 80}, f"{quarterly['id']}:2025Q1": {"Target Min": 70, "Target Maks": 75}})
    applied = import_planning(operator, tree["tanjabbar"], 2025, _upload(filled, "Target"), False)
    assert [r["outcome"] for r in applied["rows"]] == ["unchanged", "set", "set", "skipped", "skipped", "skipped"]
    targets = as_.repo.indicators.get(quarterly["id"])["targets"]
    assert ({k: targets["2025"][k] for k in ("value", "min", "max")},
            {k: targets["2025Q1"][k] for k in ("value", "min", "max")}) == (
        {"value": 80, "min": None, "max": None}, {"value": None, "min": 70, "max": 75})
    events = [e.id for e in pending_events(as_.repo.indicators)]
    again = import_planning(operator, tree["tanjabbar"], 2025, _upload(_fill(_planning(as_, tree), "Target", {}), "Target"),
                            False)
    assert {r["outcome"] for r in again["rows"]} == {"unchanged", "skipped"}
    assert [e.id for e in pending_events(as_.repo.indicators)] == events
    revised = _fill(_planning(as_, tree), "Target", {f"{quarterly['id']}:2025": {"Target": 85}})
    with pytest.raises(Invalid) as refused:
        import_planning(operator, tree["tanjabbar"], 2025, _upload(revised, "Target"), True)
    assert refused.value.extensions["cells"][0]["column"] == "Alasan perubahan"
