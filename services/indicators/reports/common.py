"""What the report builders share: targets and values written the Indonesian way, and the agreement's table."""
from __future__ import annotations

from typing import Mapping

from shared import formats
from shared.documents.model import Column, Table
from shared.messages import text

QUARTERS = ("Q1", "Q2", "Q3", "Q4")
ROMAN = ("I", "II", "III", "IV")
# "No" of every numbered table: wide enough that its title does not break
NUMBER_COLUMN = Column(text("col.no"), 0.6, "center")


def period_label(period) -> str:
    """2025; TW I 2025; Maret 2025 (a domain.periods.Period)."""
    if period.month:
        return formats.month(period.year, period.month)
    if period.quarter:
        return f"TW {ROMAN[period.quarter - 1]} {period.year}"
    return str(period.year)


def target_text(target: Mapping | str | None) -> str:
    """A target ({value} or {min, max}, or the card's "80–90" / "95.5") as Indonesian text: 95,5; 80–90."""
    if target is None:
        return formats.NONE
    if isinstance(target, str):
        parts = target.split("–")
        try:
            return "–".join(formats.number(float(p)) for p in parts)
        except ValueError:
            return target
    if target.get("min") is not None:
        return f"{formats.number(target['min'])}–{formats.number(target['max'])}"
    return formats.number(target.get("value"))


def agreement_table(content: Mapping, quarterly: bool, caption: str | None = None) -> Table:
    """The agreement's objectives, indicators and targets (with its quarters' when `quarterly`), numbered."""
    columns = [NUMBER_COLUMN, Column(text("col.objective"), 2.4),
               Column(text("col.indicator"), 2.85), Column(text("col.unit"), 1.2), Column(text("col.target"), 1, "right")]
    if quarterly:
        columns += [Column(text("col.quarter", n=n), 0.8, "right") for n in range(1, 5)]
    rows, number = [], 0
    for objective in content["objectives"]:
        for i, row in enumerate(objective["indicators"]):
            number += 1
            cells = [str(number), objective["name"] if i == 0 else "", f"{row['code']} {row['name']}",
                     row.get("unit") or "", target_text(row["target"])]
            if quarterly:
                cells += [target_text(row["quarterly_targets"].get(q)) for q in QUARTERS]
            rows.append(tuple(cells))
    return Table(tuple(columns), tuple(rows), caption=caption)


def budget_table(budget: list[Mapping]) -> Table:
    rows = tuple((str(i + 1), line["programme"], formats.rupiah(line["amount"])) for i, line in enumerate(budget))
    return Table((NUMBER_COLUMN, Column(text("col.programme"), 5),
                  Column(text("col.amount"), 2, "right")), rows,
                 total=("", text("col.total"), formats.rupiah(sum(line["amount"] for line in budget))))


def official(person: Mapping | None) -> tuple[str, str]:
    """(name, title) of a signatory, blank lines where unknown (to be written by hand)."""
    person = person or {}
    return person.get("name") or "(.............................)", person.get("title") or ""
