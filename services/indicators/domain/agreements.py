"""Performance agreements (Perjanjian Kinerja, PK): what an agency's head signs with the superior each year —
the strategic objectives of the year, their indicators with the annual target and optional quarterly targets
(TW I–IV), and optionally the budget per programme (pagu).

Lifecycle `draft → signed`; once signed, the targets of its indicators for its year change only through a
revision (PK perubahan): a new version with a reason, the older ones readable, the agreement saying which
version is in force. Each version keeps the head and superior as they were at signing and the target
revisions it made. Pure: the command (commands.agreements) gives the facts this checks against."""
from __future__ import annotations

from typing import Mapping

from shared.commands import Kind
from shared.errors import Invalid

DRAFT, SIGNED = "draft", "signed"
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
INDICATOR_FIELDS = ("code", "name", "unit", "polarity", "frequency", "aggregation")


def _target(value: Mapping | None) -> dict | None:
    if value is None:
        return None
    return {"value": value.get("value"), "min": value.get("min"), "max": value.get("max")}


def content_of(fields: Mapping, indicators: Mapping[str, dict], plan_objectives: Mapping[str, dict]) -> dict:
    """The agreement's objectives (with their indicators as they are now), budget and signatories from the
    request's fields; Invalid unless every indicator is an active one of the agency (`indicators` by id),
    each appears once, quarterly targets go with indicators that report quarterly or monthly, and an
    objective named by id is one of the agency's plan for the year (`plan_objectives` by id)."""
    objectives, seen = [], set()
    for o, objective in enumerate(fields.get("objectives") or ()):
        where = f"objectives.{o}"
        known = plan_objectives.get(objective.get("objective_id")) if objective.get("objective_id") else None
        if objective.get("objective_id") and known is None:
            raise Invalid.field(f"{where}.objective_id", f"{objective['objective_id']} is no objective of the "
                                                         "agency's strategic plan for this year")
        name = objective.get("name") or (known or {}).get("name")
        if not name:
            raise Invalid.field(f"{where}.name", "name the objective, or give the objective_id of the plan's")
        rows = []
        for i, row in enumerate(objective.get("indicators") or ()):
            rows.append(_row(row, f"{where}.indicators.{i}", indicators, seen))
        objectives.append({"objective_id": objective.get("objective_id"), "code": (known or {}).get("code"),
                           "name": name, "indicators": rows})
    if not seen:
        raise Invalid.field("objectives", "an agreement holds at least one indicator")
    return {"objectives": objectives, "budget": [dict(b) for b in fields.get("budget") or ()],
            "place": fields.get("place"),
            "head": dict(fields["head"]) if fields.get("head") else None,
            "superior": dict(fields["superior"]) if fields.get("superior") else None}


def _row(row: Mapping, where: str, indicators: Mapping[str, dict], seen: set[str]) -> dict:
    indicator = indicators.get(row["indicator_id"])
    if indicator is None:
        raise Invalid.field(f"{where}.indicator_id", f"{row['indicator_id']} is no active indicator of the agency")
    if row["indicator_id"] in seen:
        raise Invalid.field(f"{where}.indicator_id", f"indicator {indicator['code']} appears twice")
    seen.add(row["indicator_id"])
    quarterly = {q: _target(t) for q, t in (row.get("quarterly_targets") or {}).items()}
    if quarterly and indicator["frequency"] == "annual":
        raise Invalid.field(f"{where}.quarterly_targets", f"indicator {indicator['code']} reports annually: it "
                                                          "takes no quarterly targets")
    return {"indicator_id": indicator["id"], **{k: indicator.get(k) for k in INDICATOR_FIELDS},
            "target": _target(row["target"]), "quarterly_targets": dict(sorted(quarterly.items()))}


def indicator_ids(content: Mapping) -> list[str]:
    return [row["indicator_id"] for objective in content["objectives"] for row in objective["indicators"]]


def targets_of(content: Mapping, year: int) -> dict[str, dict[str, dict]]:
    """The targets an agreement sets, by indicator id and period (the year and its quarters)."""
    out: dict[str, dict[str, dict]] = {}
    for objective in content["objectives"]:
        for row in objective["indicators"]:
            periods = {str(year): row["target"]}
            periods.update({f"{year}{q}": t for q, t in row["quarterly_targets"].items()})
            out[row["indicator_id"]] = periods
    return out


def frozen_targets(content: Mapping, year: int) -> list[str]:
    """"<indicator id>:<period>" of every target the agreement sets: what no other write may change."""
    return [f"{indicator_id}:{period}" for indicator_id, periods in targets_of(content, year).items()
            for period in periods]


def target_revisions(before: Mapping, after: Mapping, year: int) -> list[dict]:
    """What a revision changes of the targets: each (indicator, period) whose target differs."""
    old, new = targets_of(before, year), targets_of(after, year)
    codes = {row["indicator_id"]: row["code"] for o in after["objectives"] for row in o["indicators"]}
    codes.update({row["indicator_id"]: row["code"] for o in before["objectives"] for row in o["indicators"]})
    changes = []
    for indicator_id in sorted(set(old) | set(new), key=lambda i: codes.get(i) or i):
        for period in sorted(set(old.get(indicator_id, {})) | set(new.get(indicator_id, {}))):
            was, now = old.get(indicator_id, {}).get(period), new.get(indicator_id, {}).get(period)
            if was != now:
                changes.append({"indicator_id": indicator_id, "code": codes.get(indicator_id), "period": period,
                                "before": was, "after": now})
    return changes


def in_force(agreement: Mapping) -> dict | None:
    """The version in force (None while a draft)."""
    number = agreement.get("version_in_force")
    return next((v for v in agreement.get("versions", ()) if v["number"] == number), None)


def snapshot_of(agreement: Mapping) -> dict:
    version = in_force(agreement)
    return {"id": agreement["id"], "agency_id": agreement["agency_id"], "year": agreement["year"],
            "status": agreement["status"], "version_in_force": agreement.get("version_in_force"),
            "in_force": None if version is None else {
                k: version.get(k) for k in ("number", "reason", "signed_by", "signed_at", "place", "head",
                                            "superior", "objectives", "budget", "target_revisions")}}


AGREEMENT = Kind("performance_agreement", snapshot_of,
                 audited=lambda a: {k: a.get(k) for k in ("status", "year", "version_in_force", "draft")},
                 label="performance agreement")
