"""Bulk import of agencies from a JSON array, CSV or an Excel workbook (XLSX).

Parents are referenced by code and may be rows anywhere in the same file or agencies already in
the registry. Validation is all-or-nothing: one bad row and the whole file is refused with every
bad row listed (line and reason), nothing written. Re-running an import is idempotent: rows whose
agency already exists and is identical are `unchanged`, descriptive differences are `updated`.
"""
from __future__ import annotations

import csv
import io
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Callable

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from shared.text import Text
from shared.auth.directory import ref_of
from shared.auth.policy import Action, authorize
from shared.contracts.agencies import AGENCY_UPDATED
from shared.errors import Conflict, Invalid, TooLarge
from shared.spreadsheets import read_xlsx
from services.agencies.commands.common import AgencyContext
from services.agencies.commands.paths import rewrite_subtree_paths
from services.agencies.commands.registry import DESCRIPTIVE_FIELDS, new_agency
from services.agencies.domain.agency import AGENCY, CODE_PATTERN, TYPE_PATTERN, AgencyRuleViolation, check_placement

MAX_ROWS = 20000
INSERT_CHUNK = 500
COLUMNS = ("code", "name", "type", "parent_code", "short_name", "head_name", "head_title", "address", "phone",
           "email", "website")


class ImportRowSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # spreadsheets carry extra columns (notes, numbering); they are ignored

    code = Text(required=True, validate=validate.Regexp(CODE_PATTERN, error="1-50 letters, digits, '.', '_' or '-'"))
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    type = Text(required=True, validate=validate.Regexp(TYPE_PATTERN))
    parent_code = Text(load_default=None, allow_none=True)
    short_name = Text(load_default=None, allow_none=True, validate=validate.Length(max=60))
    head_name = Text(load_default=None, allow_none=True, validate=validate.Length(max=200))
    head_title = Text(load_default=None, allow_none=True, validate=validate.Length(max=200))
    address = Text(load_default=None, allow_none=True, validate=validate.Length(max=500))
    phone = Text(load_default=None, allow_none=True, validate=validate.Length(max=50))
    email = fields.Email(load_default=None, allow_none=True)
    website = fields.Url(load_default=None, allow_none=True)

    @validates_schema
    def head_is_complete(self, data, **_):
        if bool(data.get("head_name")) != bool(data.get("head_title")):
            raise ValidationError("give both head_name and head_title, or neither", "head_name")


@dataclass
class Row:
    line: int
    fields: dict
    errors: list[str] = field(default_factory=list)
    outcome: str = ""
    existing: dict | None = None


def parse_csv(text: str) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "code" not in reader.fieldnames:
        raise Invalid({"body": [f"the CSV needs a header row with at least: {', '.join(COLUMNS[:3])}"]},
                      detail=f"The CSV needs a header row with at least: {', '.join(COLUMNS[:3])}.")
    # Empty cells mean "not given"; line numbers count the header as line 1.
    return [(reader.line_num, {k: (v.strip() or None) for k, v in row.items() if k and isinstance(v, str)})
            for row in reader]


def parse_xlsx(data: bytes) -> list[tuple[int, dict]]:
    """The first sheet's rows under the same header as the CSV's; line numbers are Excel's row numbers."""
    rows = read_xlsx(data, None, max_rows=MAX_ROWS)
    found = next(iter(rows.values()), [])
    if not found or "code" not in found[0].cells:
        raise Invalid({"body": [f"the first sheet needs a header row with at least: {', '.join(COLUMNS[:3])}"]},
                      detail=f"The first sheet needs a header row with at least: {', '.join(COLUMNS[:3])}.")
    return [(row.row, {title: _cell_text(value) for title, value in row.cells.items()}) for row in found]


def _cell_text(value) -> str | None:
    """A cell as the CSV would give it: codes typed as numbers (1506) read as their digits, not 1506.0."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value.strip() if isinstance(value, str) else str(value)


def parse_json(payload) -> list[tuple[int, dict]]:
    if not isinstance(payload, list):
        raise Invalid({"body": ["a JSON array of agency rows (or text/csv) is expected"]},
                      detail="Send a JSON array of agency rows (or text/csv).")
    return [(index + 1, item if isinstance(item, dict) else {"__invalid__": item}) for index, item in enumerate(payload)]


def _document_fields(data: dict) -> dict:
    head = {"name": data["head_name"], "title": data["head_title"]} if data.get("head_name") else None
    contact_values = {k: data.get(k) for k in ("address", "phone", "email", "website")}
    return {"code": data["code"], "name": data["name"], "type": data["type"], "short_name": data.get("short_name"),
            "head": head, "contact": contact_values if any(contact_values.values()) else None}


def _validate_rows(raw_rows: list[tuple[int, dict]]) -> list[Row]:
    rows = []
    for line, raw in raw_rows:
        row = Row(line, {})
        try:
            row.fields = ImportRowSchema().load(raw)
        except ValidationError as err:
            row.errors += [f"{name}: {' '.join(map(str, msgs))}" for name, msgs in sorted(err.messages.items())]
        rows.append(row)
    return rows


def _resolve(ctx: AgencyContext, rows: list[Row]) -> dict[str, dict]:
    """Check codes and parents across the file and the registry; returns existing agencies by code."""
    by_code: dict[str, Row] = {}
    for row in rows:
        code = row.fields.get("code")
        if code and code in by_code:
            row.errors.append(f"code {code} appears again (first at line {by_code[code].line})")
        elif code:
            by_code[code] = row
    wanted = set(by_code) | {r.fields["parent_code"] for r in rows if r.fields.get("parent_code")}
    existing = {d["code"]: d for d in ctx.agencies.by_codes(wanted)}
    for row in rows:
        if row.errors:
            continue
        data = row.fields
        parent_code = data.get("parent_code")
        if parent_code and parent_code not in by_code and parent_code not in existing:
            row.errors.append(f"parent_code {parent_code} is neither in this file nor in the registry")
            continue
        current = existing.get(data["code"])
        if current is not None:
            row.existing = current
            parent_now = next((d for d in existing.values() if d["id"] == current.get("parent_id")), None)
            if current["type"] != data["type"] or (parent_now or {}).get("code") != parent_code:
                row.errors.append(f"{data['code']} exists with another type or parent; use the move endpoint")
            continue
        parent = by_code[parent_code].fields if parent_code in by_code else existing.get(parent_code)
        parent_view = None if parent_code is None else {
            "code": parent_code, "type": parent["type"], "status": parent.get("status", "active")}
        try:
            check_placement(data["type"], parent_view, ctx.rules)
        except AgencyRuleViolation as err:
            row.errors.append(f"{err.field}: {err}")
    _check_cycles(rows, by_code)
    return existing


def _check_cycles(rows: list[Row], by_code: dict[str, Row]) -> None:
    for row in rows:
        seen, code = set(), row.fields.get("code")
        while code in by_code and code not in seen:
            seen.add(code)
            code = by_code[code].fields.get("parent_code")
        if code in seen and not row.errors:
            row.errors.append("the parent_code chain loops back to this row")


def _depth_order(rows: list[Row]) -> list[list[Row]]:
    """New rows grouped by depth inside the file: a row comes after its parent's level."""
    new = {r.fields["code"]: r for r in rows if r.existing is None}
    depth: dict[str, int] = {}

    def depth_of(code: str) -> int:
        if code not in depth:
            parent = new[code].fields.get("parent_code")
            depth[code] = 0 if parent not in new else depth_of(parent) + 1
        return depth[code]
    levels: dict[int, list[Row]] = {}
    for code in new:
        levels.setdefault(depth_of(code), []).append(new[code])
    return [levels[d] for d in sorted(levels)]


def import_agencies(ctx: AgencyContext, raw_rows: list[tuple[int, dict]], dry_run: bool) -> dict:
    if len(raw_rows) > MAX_ROWS:
        raise TooLarge(f"At most {MAX_ROWS} rows per import; split the file.")
    rows = _validate_rows(raw_rows)
    existing = _resolve(ctx, rows)
    bad = [{"line": r.line, "code": r.fields.get("code"), "errors": r.errors} for r in rows if r.errors]
    if bad:
        raise Invalid({}, detail=f"{len(bad)} of {len(rows)} rows are invalid; nothing was imported.", rows=bad)
    for row in rows:
        if row.existing is not None:
            row.outcome = "updated" if _descriptive_changes(row) else "unchanged"
    _authorize(ctx, rows, existing)
    created = _create(ctx, rows, existing, dry_run)
    if not dry_run:
        _update(ctx, rows)
    counts = {outcome: sum(1 for r in rows if r.outcome == outcome) for outcome in ("created", "updated", "unchanged")}
    return {"dry_run": dry_run, **counts, "rows": [{"line": r.line, "code": r.fields["code"], "outcome": r.outcome,
                                                    "id": created.get(r.fields["code"]) or (r.existing or {}).get("id")}
                                                   for r in rows]}


def _authorize(ctx: AgencyContext, rows: list[Row], existing: dict[str, dict]) -> None:
    """Every new row must hang (through the file) under an agency the caller may write; roots: admins."""
    by_code = {r.fields["code"]: r for r in rows}
    for row in rows:
        if row.existing is not None:
            authorize(ctx.principal, Action.WRITE if row.outcome == "updated" else Action.READ, ref_of(row.existing))
            continue
        code = row.fields["code"]
        while code in by_code and by_code[code].existing is None and by_code[code].fields.get("parent_code"):
            code = by_code[code].fields["parent_code"]
        anchor = existing.get(code)
        authorize(ctx.principal, Action.WRITE, ref_of(anchor) if anchor else None)


def _descriptive_changes(row: Row) -> dict:
    wanted = _document_fields(row.fields)
    return {k: wanted[k] for k in DESCRIPTIVE_FIELDS if row.existing.get(k) != wanted[k]}


def _create(ctx: AgencyContext, rows: list[Row], existing: dict[str, dict], dry_run: bool) -> dict[str, str]:
    """Insert the new rows level by level, under placement markers on the registry agencies they hang
    under (anchors), so that no anchor is deactivated under the import (AgencyRepository.placing_under)."""
    anchors = sorted({row.fields["parent_code"] for row in rows
                      if row.existing is None and row.fields.get("parent_code") in existing})
    marker = uuid.uuid4().hex
    with ExitStack() as markers:
        placements = {} if dry_run else {
            code: markers.enter_context(ctx.agencies.placing_under(existing[code]["id"], marker)) for code in anchors}
        placed = dict(existing)
        for code, placement in placements.items():
            if placement.parent is None or placement.parent["status"] != "active":
                raise Conflict(f"Refused: {code} was deactivated during this import; nothing was imported.",
                               kind="structure-conflict")
            placed[code] = placement.parent  # as it is now, path included
        created = _insert_levels(ctx, rows, placed, dry_run,
                                 refresh=lambda: [placement.refresh() for placement in placements.values()])
    for code, placement in placements.items():
        if placement.parent_after is not None and placement.parent_after["path"] != placed[code]["path"]:
            # The anchor moved meanwhile, and the move's rewrite may have missed rows inserted after it looked.
            with ctx.agencies.moves_lease() as lease:
                rewrite_subtree_paths(ctx, placement.parent_after["id"], lease)
    return created


def _insert_levels(ctx: AgencyContext, rows: list[Row], placed: dict[str, dict], dry_run: bool,
                   refresh: Callable[[], object]) -> dict[str, str]:
    """`refresh` keeps the anchors' markers fresh before each chunk (a deactivation then keeps waiting, and
    one that counted children before the chunk writes nothing)."""
    created: dict[str, str] = {}
    for level in _depth_order(rows):
        changes = []
        for row in level:
            parent_code = row.fields.get("parent_code")
            change = new_agency(ctx, _document_fields(row.fields), placed.get(parent_code) if parent_code else None)
            placed[row.fields["code"]] = change.after
            row.outcome = "created"
            changes.append(change)
            created[row.fields["code"]] = change.after["id"]
        if dry_run:
            continue
        # Chunks bound the size of one insert command and let the relay start on the first ones early.
        for start in range(0, len(changes), INSERT_CHUNK):
            refresh()
            try:
                ctx.agencies.store.create_many(changes[start:start + INSERT_CHUNK])
            except Conflict as err:
                raise Conflict(f"Some agencies were registered by someone else during this import ({err.detail}); "
                               "run the import again to complete it.", kind="duplicate") from None
    return created


def _update(ctx: AgencyContext, rows: list[Row]) -> None:
    """Descriptive differences of rows whose agency exists, each decided on the agency as it is now."""
    for row in rows:
        if row.outcome != "updated":
            continue
        wanted = _document_fields(row.fields)

        def decide(agency: dict, _):
            changes = {k: wanted[k] for k in DESCRIPTIVE_FIELDS if agency.get(k) != wanted[k]}
            if not changes:
                return None
            return ctx.changed(AGENCY, agency, changes, AGENCY_UPDATED, action="update",
                               extra={"changed": sorted(changes)}, reason="bulk import")
        ctx.agencies.store.update(row.existing["id"], decide)
