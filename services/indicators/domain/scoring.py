"""Scores of an agency for a period: its indicators' achievements weighted into one score, its grade
and light, the coverage of verified realisations, and the roll-up over its subtree."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from services.indicators.domain.achievement import NotComputable, RulePack, Target, achievement
from services.indicators.domain.periods import Period


def weighted_mean(items: Iterable[tuple[float, float]]) -> float | None:
    items = [(value, weight) for value, weight in items if weight > 0]
    total = sum(weight for _, weight in items)
    return round(sum(value * weight for value, weight in items) / total, 2) if total else None


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator in a scorecard: its achievement over the period's sub-periods (the mean of those
    that can be computed), or why there is none."""

    achievement: float | None
    reason: str | None
    periods_verified: int
    periods_expected: int
    target: str | None
    realised: float | None


def indicator_result(polarity: str, frequency: str, period: Period, targets: dict[str, Target],
                     verified: dict[str, float], rules: RulePack) -> IndicatorResult:
    """`targets` and `verified` realisations by period string, at the indicator's frequency."""
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

    @classmethod
    def of(cls, score: float | None, rules: RulePack) -> "Score":
        return cls(score, rules.grade(score) if score is not None else None,
                   rules.light(score) if score is not None else None)


def coverage(results: list[IndicatorResult]) -> float | None:
    """Share of the indicators with at least one verified realisation in the period."""
    return round(sum(1 for r in results if r.periods_verified) / len(results), 4) if results else None


def rollup(own: tuple[float | None, float], children: Iterable[tuple[float | None, float]]) -> float | None:
    """An agency's score over its subtree: its own score and each child's roll-up, weighted; agencies
    without a score (nothing computable) are left out rather than counted as zero."""
    return weighted_mean([(score, weight) for score, weight in [own, *children] if score is not None])
