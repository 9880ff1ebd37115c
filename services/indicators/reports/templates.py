"""The Excel templates operators fill in offline, prefilled from the service's data (pure):

- reporting: a row per active indicator of the agency's subtree and period inside the chosen period
  (value, evidence links, note, submit or not), with its target and status;
- planning: a row per indicator and period of the year a target may be set for, with the target in force.

Each row carries its key (hidden column Kunci: "<indicator id>:<period>"), which the upload reads back
(commands.imports); the other prefilled columns are for the reader and ignored on the way back in."""
from __future__ import annotations

from dataclasses import dataclass

from shared.messages import label, text
from shared.spreadsheets import Sheet, SheetColumn
from services.indicators.domain.periods import Period
from services.indicators.reports.common import period_label, target_text

EVIDENCE_SEPARATOR = " | "


@dataclass(frozen=True)
class Entry:
    """One row of a template: an indicator of an agency in a period, and what is recorded for it."""

    agency: dict
    indicator: dict
    period: Period
    realisation: dict | None = None

    @property
    def key(self) -> str:
        return f"{self.indicator['id']}:{self.period}"

    @property
    def target(self) -> dict | None:
        return self.indicator["targets"].get(str(self.period))


def evidence_text(evidence: list[dict]) -> str:
    """Evidence as the template writes it: a line per link, `title | link`."""
    return "\n".join(f"{e['title']}{EVIDENCE_SEPARATOR}{e['link']}" for e in evidence)


REPORTING_COLUMNS = {  # catalogue key -> (width, kind)
    "col.key": (28, "text"), "col.agency_code": (12, "text"), "col.agency_name": (30, "text"),
    "col.indicator_code": (12, "text"), "col.indicator": (40, "text"), "col.unit": (10, "text"),
    "col.period": (14, "text"), "col.target": (10, "text"), "col.realised": (12, "number"),
    "col.evidence": (40, "text"), "col.note": (30, "text"), "col.submit": (12, "text"), "col.status": (14, "text"),
}
PLANNING_COLUMNS = {
    "col.key": (28, "text"), "col.agency_code": (12, "text"), "col.indicator_code": (12, "text"),
    "col.indicator": (40, "text"), "col.unit": (10, "text"), "col.frequency": (12, "text"),
    "col.aggregation": (12, "text"), "col.period": (14, "text"), "col.current_target": (14, "text"),
    "col.target": (12, "number"), "col.target_min": (12, "number"), "col.target_max": (12, "number"),
    "col.reason": (30, "text"),
}


def _columns(spec: dict) -> tuple[SheetColumn, ...]:
    return tuple(SheetColumn(text(key), width, kind, hidden=key == "col.key") for key, (width, kind) in spec.items())


def reporting_template(agency: dict, period: Period, entries: list[Entry]) -> list[Sheet]:
    def row(e: Entry) -> tuple:
        r = e.realisation or {}
        return (e.key, e.agency["code"], e.agency["name"], e.indicator["code"], e.indicator["name"],
                e.indicator.get("unit"), period_label(e.period), target_text(e.target), r.get("value"),
                evidence_text(r.get("evidence") or []), r.get("note"),
                text("yes") if r.get("status") in ("submitted", "verified") else text("no"),
                label("status", r.get("status") or "missing"))
    guide = Sheet(text("sheet.guide"), (), (), notes=(f"{agency['code']} {agency['name']}",
                                                      text("guide.reporting", period=period_label(period))))
    return [Sheet(text("sheet.realisations"), _columns(REPORTING_COLUMNS), (row(e) for e in entries)), guide]


def planning_template(agency: dict, year: int, entries: list[Entry]) -> list[Sheet]:
    def row(e: Entry) -> tuple:
        t = e.target or {}
        return (e.key, e.agency["code"], e.indicator["code"], e.indicator["name"], e.indicator.get("unit"),
                label("frequency", e.indicator["frequency"]), label("aggregation", e.indicator.get("aggregation")),
                period_label(e.period), target_text(e.target) if e.target else "", t.get("value"), t.get("min"),
                t.get("max"), None)
    guide = Sheet(text("sheet.guide"), (), (), notes=(f"{agency['code']} {agency['name']}",
                                                      text("guide.planning", year=year)))
    return [Sheet(text("sheet.targets"), _columns(PLANNING_COLUMNS), (row(e) for e in entries)), guide]
