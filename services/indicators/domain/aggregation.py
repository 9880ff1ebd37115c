"""How an indicator's sub-periods make up a longer period (rule packs of method `aggregate`).

An indicator reports at its frequency and aggregates its verified realisations one of three ways:
- `sum`: cumulative (services digitalised: 2, 3, 4, 3 in the quarters are 12 in the year);
- `average`: the mean of the sub-periods (a monthly rate);
- `last`: the latest verified value (a stock, an index measured at the end).

For a period P longer than the frequency, realisation(P) is the aggregation of P's verified sub-periods;
target(P) the target set for P, else the aggregation of the targets of P's next finer periods (a year of a
monthly indicator: its quarters' targets, each the one set or its months'); the achievement is the rule
pack's formula of the two. A result built on fewer verified sub-periods than P has is partial. A `sum`
indicator's quarter or month also shows the year to date: the cumulative realisation through it against
the cumulative target through it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from services.indicators.domain.achievement import NotComputable, RulePack, Target, achievement
from services.indicators.domain.periods import FREQUENCIES, Period

SUM, AVERAGE, LAST = "sum", "average", "last"
AGGREGATIONS = (SUM, AVERAGE, LAST)


def aggregate(kind: str, values: list[float]) -> float:
    """`values` in period order, at least one."""
    if kind == SUM:
        return round(sum(values), 6)
    if kind == AVERAGE:
        return round(sum(values) / len(values), 4)
    return values[-1]


def _finer(frequency: str) -> str:
    return FREQUENCIES[FREQUENCIES.index(frequency) + 1]


def target_of(kind: str, period: Period, frequency: str, targets: Mapping[str, Target]) -> Target | None:
    """The target set for `period`, else the aggregation of its next finer periods' targets (None unless
    every one of them has one, all values or all ranges); for an average or a last value, whose targets are
    on one scale at every level, else the target of the nearest period containing it (a month under its
    quarter's or year's)."""
    own = _own_or_parts(kind, period, frequency, targets)
    if own is None and kind in (AVERAGE, LAST):
        own = next((targets[str(p)] for p in period.containing()[1:] if str(p) in targets), None)
    return own


def _own_or_parts(kind: str, period: Period, frequency: str, targets: Mapping[str, Target]) -> Target | None:
    """The period's own target, else its parts' aggregated (never a containing period's: a part's target
    is not taken from the period being built of it)."""
    if str(period) in targets:
        return targets[str(period)]
    if period.frequency == frequency:
        return None
    parts = [_own_or_parts(kind, part, frequency, targets) for part in period.inside(_finer(period.frequency))]
    if kind == LAST:
        return parts[-1]
    if any(part is None for part in parts):
        return None
    if all(part.is_range for part in parts):
        return Target(min=aggregate(kind, [p.min for p in parts]), max=aggregate(kind, [p.max for p in parts]))
    if any(part.is_range for part in parts):
        return None
    return Target(value=aggregate(kind, [p.value for p in parts]))


@dataclass(frozen=True)
class Measured:
    """A realisation against a target over a period: what the achievement is built on."""

    realised: float | None
    target: Target | None
    achievement: float | NotComputable
    periods_verified: int
    periods_expected: int

    @property
    def partial(self) -> bool:
        return self.periods_verified < self.periods_expected

    def as_dict(self) -> dict:
        computed = not isinstance(self.achievement, NotComputable)
        return {"realised": self.realised, "target": self.target.describe() if self.target else None,
                "achievement": self.achievement if computed else None,
                "not_computable": None if computed else self.achievement.reason,
                "periods_verified": self.periods_verified, "periods_expected": self.periods_expected,
                "partial": self.partial}


def _measured(kind: str, polarity: str, parts: list[Period], target: Target | None,
              verified: Mapping[str, float], rules: RulePack) -> Measured:
    values = [verified[str(part)] for part in parts if str(part) in verified]
    realised = aggregate(kind, values) if values else None
    return Measured(realised, target, achievement(polarity, target, realised, rules), len(values), len(parts))


def measure(kind: str, polarity: str, frequency: str, period: Period, targets: Mapping[str, Target],
            verified: Mapping[str, float], rules: RulePack) -> Measured:
    """The period's realisation, target and achievement (`targets`, `verified`: by period string)."""
    return _measured(kind, polarity, period.inside(frequency), target_of(kind, period, frequency, targets),
                     verified, rules)


def year_to_date(kind: str, polarity: str, frequency: str, period: Period, targets: Mapping[str, Target],
                 verified: Mapping[str, float], rules: RulePack) -> Measured | None:
    """For a `sum` indicator's quarter or month: the year through it (None otherwise)."""
    if kind != SUM or period.frequency == "annual":
        return None
    year = Period(period.year)
    parts = [part for part in year.inside(frequency) if part.end <= period.end]
    through = [target_of(kind, p, frequency, targets) for p in year.inside(period.frequency) if p <= period]
    target = None if any(t is None or t.is_range for t in through) else Target(
        value=aggregate(SUM, [t.value for t in through]))
    return _measured(kind, polarity, parts, target, verified, rules)
