"""An agency's scorecard as sheets: its indicators with the report's comparisons, its units, the ranking
of its units — one sheet each, Indonesian column names, the API's numbers as numbers. Pure."""
from __future__ import annotations

from shared.messages import label, text
from shared.spreadsheets import Sheet, SheetColumn
from services.indicators.reports.common import target_text


def _category(part: dict | None) -> str | None:
    return ((part or {}).get("category") or {}).get("label")


def indicators_sheet(card: dict) -> Sheet:
    objective_of = {i: o["name"] for o in card.get("objectives") or () for i in o["indicators"]}
    columns = (SheetColumn(text("col.code"), 12), SheetColumn(text("col.indicator"), 40),
               SheetColumn(text("col.indicator_category"), 10), SheetColumn(text("col.objective"), 30),
               SheetColumn(text("col.unit"), 10), SheetColumn(text("col.polarity"), 18),
               SheetColumn(text("col.frequency"), 12), SheetColumn(text("col.aggregation"), 12),
               SheetColumn(text("col.weight"), 8, "number"), SheetColumn(text("col.target"), 12),
               SheetColumn(text("col.realised"), 12, "number"), SheetColumn(text("col.achievement"), 12, "fixed"),
               SheetColumn(text("col.category"), 14), SheetColumn(text("col.light"), 10),
               SheetColumn(text("col.verified_periods"), 10, "integer"),
               SheetColumn(text("col.previous_realised"), 12, "number"),
               SheetColumn(text("col.previous_achievement"), 12, "fixed"),
               SheetColumn(text("col.baseline"), 12, "number"),
               SheetColumn(text("col.plan_target", year=card["period"][:4]), 12, "number"),
               SheetColumn(text("col.end_target"), 12, "number"), SheetColumn(text("col.progress"), 12, "fixed"))
    rows = ((r["code"], r["name"], r.get("indicator_category"), objective_of.get(r["indicator_id"]), r.get("unit"),
             label("polarity", r.get("polarity")), label("frequency", r.get("frequency")),
             label("aggregation", r.get("aggregation")), r.get("weight"), target_text(r.get("target")),
             r.get("realised"), r.get("achievement"), _category(r), label("light", r.get("light")),
             r.get("periods_verified"), (r.get("previous") or {}).get("realised"),
             (r.get("previous") or {}).get("achievement"), (r.get("baseline") or {}).get("value"),
             r.get("plan_target"), r.get("end_target"), r.get("progress")) for r in card["indicators"])
    return Sheet(text("sheet.indicators"), columns, rows)


def _unit_columns(ranked: bool) -> tuple[SheetColumn, ...]:
    first = (SheetColumn(text("col.rank"), 10, "integer"),) if ranked else ()
    return (*first, SheetColumn(text("col.code"), 12), SheetColumn(text("col.name"), 40),
            SheetColumn(text("col.agency_type"), 18), SheetColumn(text("col.score"), 10, "fixed"),
            SheetColumn(text("col.category"), 14), SheetColumn(text("col.light"), 10),
            SheetColumn(text("col.weight"), 8, "number"))


def _unit_row(child: dict) -> tuple:
    return (child["code"], child["name"], label("type", child.get("type")), child.get("score"), _category(child),
            label("light", child.get("light")), child.get("weight"))


def units_sheet(card: dict) -> Sheet:
    return Sheet(text("sheet.units"), _unit_columns(False), (_unit_row(c) for c in card["children"]))


def ranking_sheet(ranking: dict) -> Sheet:
    return Sheet(text("sheet.ranking"), _unit_columns(True), ((c["rank"], *_unit_row(c)) for c in ranking["items"]))
