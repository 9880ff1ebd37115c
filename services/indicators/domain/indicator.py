"""Indicators as events and audit records show them, and what may change on one."""
from __future__ import annotations

from shared.commands import Kind

SNAPSHOT_FIELDS = ("id", "agency_id", "code", "name", "unit", "polarity", "frequency", "category", "weight", "status",
                   "parent_indicator_id", "fed_by_reforms", "fed_by_culture", "aggregation")
# What PATCH may change; code, agency, polarity and frequency are fixed once defined.
DESCRIPTIVE = ("name", "definition", "unit", "baseline", "weight", "category", "fed_by_reforms", "fed_by_culture",
               "aggregation")


def feed_problems(indicator: dict) -> dict[str, list[str]]:
    """What the reforms service may feed: activities counted, or a culture index (a yearly figure), not both."""
    problems: dict[str, list[str]] = {}
    if indicator.get("fed_by_culture"):
        if indicator.get("fed_by_reforms") is not None:
            problems["fed_by_culture"] = ["an indicator is fed by reform activities or by a culture survey, not both"]
        elif indicator.get("frequency") != "annual":
            problems["fed_by_culture"] = ["a culture index is yearly: only an annual indicator is fed by it"]
    return problems


def snapshot_of(indicator: dict) -> dict:
    return {key: indicator.get(key) for key in SNAPSHOT_FIELDS}


# Audit records show the targets too: a target revision is a change of the indicator.
INDICATOR = Kind("indicator", snapshot_of, audited=lambda indicator: {**snapshot_of(indicator),
                                                                      "targets": indicator.get("targets") or {}},
                 searchable=("name", "code"))


def describe_target(target: dict) -> str:
    return f"{target['min']:g}–{target['max']:g}" if target.get("min") is not None else f"{target['value']:g}"
