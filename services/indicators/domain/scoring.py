"""Scores of an agency for a period: its indicators' achievements weighted into one score, its grade
and light, the coverage of verified realisations, and the roll-up over its subtree."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from services.indicators.domain.achievement import MEAN_OF_PERIODS, NotComputable, RulePack, Target, achievement
from services.indicators.domain.aggregation import AVERAGE, measure, year_to_date
from services.indicators.domain.periods import Period


def weighted_mean(items: Iterable[tuple[float, float]]) -> float | None:
    items = [(value, weight) for value, weight in items if weight > 0]
    total = sum(weight for _, weight in items)
    return round(sum(value * weight for value, weight in items) / total, 2) if total else None


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator in a scorecard: its achievement over the period, or why there is none; how many of the
    period's sub-periods were verified (fewer than expected: partial); a `sum` indicator's year to date."""

    achievement: float | None
    reason: str | None
    periods_verified: int
    periods_expected: int
    target: str | None
    realised: float | None
    ytd: dict | None = None

    @property
    def partial(self) -> bool:
        return self.periods_verified < self.periods_expected


def indicator_result(polarity: str, frequency: str, period: Period, targets: dict[str, Target],
                     verified: dict[str, float], rules: RulePack, aggregation: str = AVERAGE) -> IndicatorResult:
    """`targets` and `verified` realisations by period string, at the indicator's frequency (targets also
    for longer periods); scored the way the rule pack's method says."""
    if rules.method == MEAN_OF_PERIODS:
        return _mean_of_periods(polarity, frequency, period, targets, verified, rules)
    measured = measure(aggregation, polarity, frequency, period, targets, verified, rules).as_dict()
    ytd = year_to_date(aggregation, polarity, frequency, period, targets, verified, rules)
    return IndicatorResult(achievement=measured["achievement"], reason=measured["not_computable"],
                           periods_verified=measured["periods_verified"],
                           periods_expected=measured["periods_expected"], target=measured["target"],
                           realised=measured["realised"], ytd=ytd.as_dict() if ytd else None)


def _mean_of_periods(polarity: str, frequency: str, period: Period, targets: dict[str, Target],
                     verified: dict[str, float], rules: RulePack) -> IndicatorResult:
    """Version 1: the mean of the computable sub-periods' achievements (kept for the periods it scores)."""
    parts = period.inside(frequency)
    values, reasons = [], []
    for part in parts:
        key = str(part)
        result = achievement(polarity, targets.get(key), verified.get(key), rules)
        if isinstance(result, NotComputable):
            reasons.append(f"{key}: {result.reason}")
        else:
            values.append(result)
    single = len(parts) == 1
    target = targets.get(str(parts[0])) if single else None
    return IndicatorResult(
        achievement=round(sum(values) / len(values), 2) if values else None,
        reason=None if values else ("; ".join(reasons) if reasons else "no reporting period inside this one"),
        periods_verified=sum(1 for part in parts if str(part) in verified), periods_expected=len(parts),
        target=target.describe() if target else None,
        realised=verified.get(str(parts[0])) if single else None)


@dataclass(frozen=True)
class Score:
    score: float | None
    grade: str | None
    light: str | None
    category: dict | None = None

    @classmethod
    def of(cls, score: float | None, rules: RulePack) -> "Score":
        if score is None:
            return cls(None, None, None, None)
        band = rules.category(score)
        return cls(score, band.code, rules.light(score), {"code": band.code, "label": band.label})


def coverage(results: list[IndicatorResult]) -> float | None:
    """Share of the indicators with at least one verified realisation in the period."""
    return round(sum(1 for r in results if r.periods_verified) / len(results), 4) if results else None


def rollup(own: tuple[float | None, float], children: Iterable[tuple[float | None, float]]) -> float | None:
    """An agency's score over its subtree: its own score and each child's roll-up, weighted; agencies
    without a score (nothing computable) are left out rather than counted as zero."""
    return weighted_mean([(score, weight) for score, weight in [own, *children] if score is not None])
