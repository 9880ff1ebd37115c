"""An agency's scorecard for a period, computed from what it is made of — pure, no database.

A scorecard has two parts:
- its OWN part: each active indicator's achievement over the period (indicators reporting at the period's
  frequency or finer), weighted into the agency's own score, grade and light, and the coverage of
  verified realisations;
- its ROLL-UP: the own score and each child's roll-up, weighted (default 1 per child; inactive and
  unscored children are left out rather than counted as zero).

The scorer (consumers.scorecards) loads the inputs in batches and stores what this module computes. When
only a child's card changed, the own part of the stored card is kept and only the roll-up is computed
again (`with_rollup`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

from shared.commands import Kind
from services.indicators.domain.achievement import NotComputable, RulePack, Target, achievement
from services.indicators.domain.aggregation import AVERAGE
from services.indicators.domain.periods import FREQUENCIES, Period
from services.indicators.domain.scoring import Score, coverage, indicator_result, rollup, weighted_mean

AGENCY_FIELDS = ("id", "code", "name", "type", "status")
# The stored shape of a card: 2 since rows name their indicator's `indicator_category` and their achievement
# `category` (adapters.migrations brings older cards to it).
CARD_FORMAT = 2


def scorecard_id(agency_id: str, period: str) -> str:
    return f"{agency_id}:{period}"


def _target(record: dict | None) -> Target | None:
    if not record:
        return None
    return Target(value=record.get("value"), min=record.get("min"), max=record.get("max"))


def counted_in(indicator: dict, period: Period) -> bool:
    """An indicator counts in a period's card if it reports at the period's frequency or finer."""
    return FREQUENCIES.index(indicator["frequency"]) >= FREQUENCIES.index(period.frequency)


@dataclass(frozen=True)
class Comparisons:
    """What the annual report compares a card's rows with: the plan (objective, baseline, end-of-plan target,
    by indicator id: domain.plans.plan_entries), the agreement in force for the year ({id, version, ...}),
    and the rule pack of the same period a year earlier."""

    plan: Mapping[str, dict] = field(default_factory=dict)
    agreement: Mapping | None = None
    previous_rules: RulePack | None = None


def _comparison(indicator: dict, period: Period, result, targets: dict, values: Mapping[str, float],
                comparisons: Comparisons, rules: RulePack) -> dict:
    entry = comparisons.plan.get(indicator["id"]) or {}
    previous = None
    if comparisons.previous_rules is not None:
        before = period.years_later(-1)
        last = indicator_result(indicator["polarity"], indicator["frequency"], before, targets, values,
                                comparisons.previous_rules, indicator.get("aggregation") or AVERAGE)
        previous = {"period": str(before), "realised": last.realised, "achievement": last.achievement}
    baseline = entry.get("baseline") or ({"value": indicator["baseline"], "year": None}
                                         if indicator.get("baseline") is not None else None)
    end_target = entry.get("end_target")
    progress = None
    if end_target is not None and result.realised is not None:
        reached = achievement(indicator["polarity"], Target(value=end_target), result.realised, rules)
        progress = None if isinstance(reached, NotComputable) else reached
    agreement = comparisons.agreement
    in_agreement = agreement is not None and indicator["id"] in agreement.get("indicator_ids", ())
    return {"previous": previous, "baseline": baseline, "plan_target": entry.get("plan_target"),
            "end_target": end_target, "progress": progress,
            "objective": entry.get("objective"),
            "agreement": {"id": agreement["id"], "version": agreement["version"]} if in_agreement else None}


def own_part(period: Period, rules: RulePack, indicators: Iterable[dict],
             verified: Mapping[str, Mapping[str, float]],
             comparisons: Comparisons = Comparisons()) -> tuple[dict, list[dict], list[dict]]:
    """The own block, the indicator rows and the objectives of a card. `indicators`: the agency's active
    ones; `verified`: verified values by indicator id and period string (a year earlier too, for the
    comparison)."""
    items, results = [], []
    for indicator in indicators:
        if not counted_in(indicator, period):
            continue
        targets = {key: _target(record) for key, record in (indicator.get("targets") or {}).items()}
        values = verified.get(indicator["id"], {})
        aggregation = indicator.get("aggregation") or AVERAGE
        result = indicator_result(indicator["polarity"], indicator["frequency"], period, targets, values, rules,
                                  aggregation)
        results.append((result, indicator["weight"]))
        scored = Score.of(result.achievement, rules)
        items.append({"indicator_id": indicator["id"], "code": indicator["code"], "name": indicator["name"],
                      "indicator_category": indicator["category"], "unit": indicator["unit"],
                      "polarity": indicator["polarity"], "frequency": indicator["frequency"],
                      "aggregation": aggregation, "weight": indicator["weight"], "target": result.target,
                      "realised": result.realised, "achievement": result.achievement,
                      "category": scored.category, "light": scored.light,
                      "not_computable": result.reason, "periods_verified": result.periods_verified,
                      "periods_expected": result.periods_expected, "partial": result.partial, "ytd": result.ytd,
                      **_comparison(indicator, period, result, targets, values, comparisons, rules)})
    own = Score.of(weighted_mean((r.achievement, w) for r, w in results if r.achievement is not None), rules)
    return ({"score": own.score, "grade": own.grade, "category": own.category, "light": own.light,
             "coverage": coverage([r for r, _ in results]), "indicators": len(items)}, items,
            objectives_of(items, comparisons.plan, rules))


def objectives_of(items: list[dict], plan: Mapping[str, dict], rules: RulePack) -> list[dict]:
    """The card's rows grouped by the plan's objective they belong to, each with its achievement (the
    weighted mean of its indicators'), in the plan's order."""
    groups: dict[str, dict] = {}
    for entry in sorted({e["objective"]["id"]: e for e in plan.values() if e.get("objective")}.values(),
                        key=lambda e: e["order"]):
        groups[entry["objective"]["id"]] = {**entry["objective"], "indicators": [], "_scores": []}
    for item in items:
        objective = item.get("objective")
        if objective and objective["id"] in groups:
            group = groups[objective["id"]]
            group["indicators"].append(item["indicator_id"])
            if item["achievement"] is not None:
                group["_scores"].append((item["achievement"], item["weight"]))
    out = []
    for group in groups.values():
        scores = group.pop("_scores")
        if not group["indicators"]:
            continue
        score = Score.of(weighted_mean(scores), rules)
        out.append({**group, "achievement": score.score, "category": score.category, "light": score.light})
    return out


def with_rollup(agency: dict, period: Period, rules: RulePack, own: dict, items: list[dict], objectives: list[dict],
                children: Iterable[dict], child_cards: Mapping[str, dict], weights: Mapping[str, float]) -> dict:
    """The whole card of `agency` (id, code, name, type, status, parent and path) from its own part and its
    children's cards (by child id; each row keeps the version of the child's card it reflects)."""
    child_rows = []
    for child in children:
        card = child_cards.get(child["id"]) or {}
        child_rollup = card.get("rollup", {})
        child_rows.append({"agency_id": child["id"], "code": child["code"], "name": child["name"],
                           "type": child["type"], "status": child["status"], "weight": weights.get(child["id"], 1.0),
                           "score": child_rollup.get("score"), "grade": child_rollup.get("grade"),
                           "category": child_rollup.get("category"), "light": child_rollup.get("light"), "card_version": card.get("version")})
    counted = [(row["score"], row["weight"]) for row in child_rows
               if row["status"] == "active" and row["score"] is not None]
    total = Score.of(rollup((own["score"], 1.0), counted), rules)
    return {"id": scorecard_id(agency["id"], str(period)), "agency_id": agency["id"],
            "agency": {k: agency.get(k) for k in AGENCY_FIELDS}, "agency_path": list(agency.get("path") or ()),
            "parent_id": agency.get("parent_id"), "period": str(period), "period_start": period.start.isoformat(),
            "computed": True, "own": own,
            "rollup": {"score": total.score, "grade": total.grade, "category": total.category, "light": total.light,
                       "agencies_counted": len(counted) + (1 if own["score"] is not None else 0)},
            "indicators": items, "objectives": objectives, "children": child_rows, "rulepack_version": rules.version,
            "format": CARD_FORMAT}


def summary(card: Mapping) -> dict:
    """What `score.changed` tells: the scores, without the rows."""
    return {"id": card["id"], "agency_id": card["agency_id"], "period": card["period"],
            "score": card["own"]["score"], "grade": card["own"]["grade"],
            "rollup_score": card["rollup"]["score"], "rollup_grade": card["rollup"]["grade"],
            "coverage": card["own"]["coverage"], "rulepack_version": card["rulepack_version"]}


def differs(current: Mapping | None, computed: Mapping) -> bool:
    """Whether the stored card says something else than the computed one (bookkeeping aside)."""
    return current is None or any(current.get(key) != value for key, value in computed.items())


SCORECARD = Kind("scorecard", summary)
# How much an agency counts in its parent's roll-up (default 1).
WEIGHT = Kind("weight", lambda state: {"id": state["id"], "weight": state["weight"]},
              audited=lambda state: {"weight": state["weight"]}, entity_type="agency_weight", label="roll-up weight")
