"""Filled-in Excel templates (reports.templates) read back: realisations from the reporting template,
targets from the planning template.

Every cell is checked first — and every rule the commands apply (scope, workflow, period locks, targets
frozen by a signed agreement, a revision's reason) is asked of every row — so that a file with one bad cell
writes nothing and is answered with every bad cell (sheet, row, column, reason). A dry run stops there. An
upload then writes through the commands of the API (commands.realisations, commands.indicators): imported
realisations become drafts or submitted, never verified. A row that asks for what is already recorded is
`unchanged` and writes nothing, so the same file uploaded twice emits no event the second time."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

from marshmallow import ValidationError, validate

from shared import formats
from shared.auth.policy import Action
from shared.errors import DomainError, Invalid
from shared.messages import text
from shared.spreadsheets import UploadedRow, formula_like
from shared.text import storable
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.commands.common import IndicatorsContext, lock_covering, period_of, refuse_if_locked
from services.indicators.commands.indicators import refuse_if_agreed, set_target
from services.indicators.commands.realisations import record_realisation, submit_realisation
from services.indicators.domain.periods import FREQUENCIES, Period
from services.indicators.domain.workflow import next_status, realisation_id
from services.indicators.reports.templates import EVIDENCE_SEPARATOR, Entry

MAX_ROWS = 50000
MAX_EVIDENCE = 20
MAX_NOTE = 2000
YES, NO = {"ya", "yes", "y"}, {"tidak", "no", "n", "t"}
_URL = validate.URL(relative=False, schemes={"http", "https"})


# -- the rows a template holds -------------------------------------------------------------------

def _subtree_indicators(repo: IndicatorsRepository, agency_id: str) -> list[tuple[dict, dict]]:
    """(agency, indicator) of every active indicator of the subtree, by agency code then indicator code."""
    agencies = sorted(repo.subtree(agency_id), key=lambda a: (a["id"] != agency_id, a["code"]))
    indicators = repo.indicators_of([a["id"] for a in agencies])
    return [(a, i) for a in agencies for i in indicators[a["id"]]]


def reporting_entries(repo: IndicatorsRepository, agency_id: str, period: Period) -> list[Entry]:
    pairs = [(a, i, p) for a, i in _subtree_indicators(repo, agency_id) for p in period.inside(i["frequency"])]
    found = {r["id"]: r for r in repo.realisations_of({i["id"] for _, i, _ in pairs}, {str(p) for *_, p in pairs})}
    return [Entry(a, i, p, found.get(realisation_id(i["id"], str(p)))) for a, i, p in pairs]


def planning_entries(repo: IndicatorsRepository, agency_id: str, year: int) -> list[Entry]:
    """Every period of the year an indicator's target may be set for: the year, and its quarters and months
    down to the indicator's frequency."""
    return [Entry(a, i, p) for a, i in _subtree_indicators(repo, agency_id)
            for f in FREQUENCIES[:FREQUENCIES.index(i["frequency"]) + 1] for p in Period(year).inside(f)]


# -- reading cells -------------------------------------------------------------------------------

@dataclass
class Checked:
    """An uploaded row once read: its entry, what it asks for, and the bad cells found."""

    row: UploadedRow
    entry: Entry | None = None
    wants: dict = field(default_factory=dict)
    outcome: str = "skipped"
    steps: tuple[str, ...] = ()
    errors: list[dict] = field(default_factory=list)

    def bad(self, column_key: str, reason: str) -> None:
        self.errors.append({"sheet": self.row.sheet, "row": self.row.row, "column": text(column_key),
                            "reason": reason})

    def cell(self, column_key: str) -> Any:
        value = self.row.cells.get(text(column_key))
        return value.strip() or None if isinstance(value, str) else value


def _number(checked: Checked, column_key: str) -> float | None:
    value = checked.cell(column_key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        checked.bad(column_key, text("cell.number"))
        return None
    if isinstance(value, str):
        if formula_like(value) and value.startswith("="):
            checked.bad(column_key, text("cell.formula"))
            return None
        try:
            value = formats.parse_number(value)
        except ValueError:
            checked.bad(column_key, text("cell.not_a_number", value=repr(value)))
            return None
    if not math.isfinite(value) or abs(value) > 1e15:
        checked.bad(column_key, text("cell.out_of_range"))
        return None
    return int(value) if float(value).is_integer() else float(value)


def _text(checked: Checked, column_key: str, limit: int) -> str | None:
    value = checked.cell(column_key)
    if value is None:
        return None
    value = value if isinstance(value, str) else str(value)
    try:
        storable(value)
    except ValidationError as err:
        checked.bad(column_key, "; ".join(err.messages))
        return None
    if len(value) > limit:
        checked.bad(column_key, text("cell.too_long", limit=limit))
        return None
    return value  # a leading = + - @ is kept as text: nothing here is evaluated


def _evidence(checked: Checked) -> list[dict]:
    value = _text(checked, "col.evidence", 50000)
    if not value:
        return []
    links = []
    for number, line in enumerate((line.strip() for line in value.splitlines() if line.strip()), start=1):
        title, _, link = line.rpartition(EVIDENCE_SEPARATOR.strip()) if EVIDENCE_SEPARATOR.strip() in line \
            else ("", "", line)
        title, link = title.strip() or text("cell.evidence_title", number=number), link.strip()
        try:
            _URL(link)
        except ValidationError:
            checked.bad("col.evidence", text("cell.not_a_link", line=number, link=repr(link)))
            continue
        links.append({"title": title[:200], "link": link})
    if len(links) > MAX_EVIDENCE:
        checked.bad("col.evidence", text("cell.too_many_links", limit=MAX_EVIDENCE))
    return links


def _submit(checked: Checked) -> bool:
    value = checked.cell("col.submit")
    if value is None:
        return False
    if str(value).lower() in YES:
        return True
    if str(value).lower() not in NO:
        checked.bad("col.submit", text("cell.yes_or_no"))
    return False


def _rows(uploaded: dict[str, list[UploadedRow]], sheet_key: str, entries: dict[str, Entry]) -> list[Checked]:
    sheet = text(sheet_key)
    if sheet not in uploaded:
        raise Invalid({"file": [f"the workbook has no sheet {sheet}: upload the template downloaded from Kinerja"]},
                      detail=f"The workbook has no sheet named {sheet}; download the template and fill it in.")
    rows, seen = [], {}
    for row in uploaded[sheet]:
        checked = Checked(row)
        key = checked.cell("col.key")
        if key is None or str(key) not in entries:
            checked.bad("col.key", text("cell.foreign_key"))
        elif str(key) in seen:
            checked.bad("col.key", text("cell.repeated_row", row=seen[str(key)]))
        else:
            seen[str(key)] = row.row
            checked.entry = entries[str(key)]
        rows.append(checked)
    return rows


def _asking(checked: Checked, rule: Callable[[], None], column_key: str) -> None:
    """Ask a rule of the commands; its refusal becomes the row's error on `column_key`."""
    try:
        rule()
    except DomainError as err:
        checked.bad(column_key, err.detail)


# -- the two uploads -----------------------------------------------------------------------------

def _locks(ctx: IndicatorsContext) -> Callable[[Entry], None]:
    """The period-lock rule of the commands, asked once per agency and period."""
    known: dict[tuple[str, str], dict | None] = {}

    def check(entry: Entry) -> None:
        key = (entry.agency["id"], str(entry.period))
        if key not in known:
            known[key] = lock_covering(ctx, entry.agency, entry.period)
        if known[key] is not None:
            refuse_if_locked(ctx, entry.agency, entry.period)
    return check


def _plan_realisation(ctx: IndicatorsContext, checked: Checked, locked: Callable[[Entry], None]) -> None:
    value = _number(checked, "col.realised")
    evidence, note, submit = _evidence(checked), _text(checked, "col.note", MAX_NOTE), _submit(checked)
    if checked.errors or checked.entry is None:
        return
    if value is None:
        if evidence or note:
            checked.bad("col.realised", text("cell.value_first"))
        return
    current = checked.entry.realisation or {}
    status = current.get("status")
    same = current and current.get("value") == value and current.get("evidence") == evidence \
        and current.get("note") == note
    if same and (not submit or status in ("submitted", "verified")):
        checked.outcome = "unchanged"
        return
    steps = ("submit",) if same else ("record", "submit") if submit else ("record",)
    _asking(checked, lambda: locked(checked.entry), "col.period")
    _asking(checked, lambda: next_status(status or "draft", steps[0]), "col.realised")
    checked.wants = {"value": value, "evidence": evidence, "note": note}
    checked.steps, checked.outcome = steps, "submitted" if "submit" in steps else "recorded"


def _plan_target(ctx: IndicatorsContext, checked: Checked, locked: Callable[[Entry], None]) -> None:
    value, low, high = (_number(checked, k) for k in ("col.target", "col.target_min", "col.target_max"))
    reason = _text(checked, "col.reason", 500)
    if checked.errors or checked.entry is None:
        return
    if value is None and low is None and high is None:
        return
    if (low is None) != (high is None):
        checked.bad("col.target_min" if low is None else "col.target_max", text("cell.half_range"))
        return
    if low is not None and value is not None:
        checked.bad("col.target", text("cell.target_or_range"))
        return
    if low is not None and low > high:
        checked.bad("col.target_min", text("cell.range_reversed"))
        return
    wanted = {"value": value, "min": low, "max": high}
    current = checked.entry.target
    if current is not None and all(current.get(k) == v for k, v in wanted.items()):
        checked.outcome = "unchanged"
        return
    if current is not None and not reason:
        checked.bad("col.reason", text("cell.reason_needed"))
    _asking(checked, lambda: refuse_if_agreed(ctx, checked.entry.indicator, checked.entry.period), "col.target")
    _asking(checked, lambda: locked(checked.entry), "col.period")
    checked.wants, checked.steps, checked.outcome = {"target": wanted, "reason": reason}, ("set_target",), "set"


def _report(rows: list[Checked], dry_run: bool, outcomes: tuple[str, ...], **about) -> dict:
    errors = [e for r in rows for e in r.errors]
    if errors:
        raise Invalid({}, detail=f"{len(errors)} cells in {len({(e['sheet'], e['row']) for e in errors})} rows are "
                                 "invalid; nothing was written.", cells=errors)
    counts = {o: sum(1 for r in rows if r.outcome == o) for o in outcomes}
    return {"dry_run": dry_run, **about, **counts,
            "rows": [{"sheet": r.row.sheet, "row": r.row.row, "key": r.entry.key, "outcome": r.outcome}
                     for r in rows]}


def _check_size(uploaded: dict[str, list[UploadedRow]]) -> None:
    if sum(len(rows) for rows in uploaded.values()) > MAX_ROWS:
        raise Invalid.field("file", f"at most {MAX_ROWS} rows per upload")


def import_reporting(ctx: IndicatorsContext, agency_id: str, period_text: str,
                     uploaded: dict[str, list[UploadedRow]], dry_run: bool) -> dict:
    ctx.authorized_agency(agency_id, Action.WRITE)
    period = period_of(period_text)
    _check_size(uploaded)
    entries = {e.key: e for e in reporting_entries(ctx.repo, agency_id, period)}
    rows, locked = _rows(uploaded, "sheet.realisations", entries), _locks(ctx)
    for checked in rows:
        _plan_realisation(ctx, checked, locked)
    report = _report(rows, dry_run, ("unchanged", "recorded", "submitted", "skipped"), period=str(period))
    if not dry_run:
        for checked in (r for r in rows if r.steps):
            indicator_id, period_key = checked.entry.indicator["id"], str(checked.entry.period)
            if "record" in checked.steps:
                record_realisation(ctx, indicator_id, period_key, checked.wants)
            if "submit" in checked.steps:
                submit_realisation(ctx, indicator_id, period_key)
    return report


def import_planning(ctx: IndicatorsContext, agency_id: str, year: int, uploaded: dict[str, list[UploadedRow]],
                    dry_run: bool) -> dict:
    ctx.authorized_agency(agency_id, Action.WRITE)
    _check_size(uploaded)
    entries = {e.key: e for e in planning_entries(ctx.repo, agency_id, year)}
    rows, locked = _rows(uploaded, "sheet.targets", entries), _locks(ctx)
    for checked in rows:
        _plan_target(ctx, checked, locked)
    report = _report(rows, dry_run, ("unchanged", "set", "skipped"), year=year)
    if not dry_run:
        for checked in (r for r in rows if r.steps):
            set_target(ctx, checked.entry.indicator["id"], str(checked.entry.period), checked.wants["target"],
                       checked.wants["reason"])
    return report
