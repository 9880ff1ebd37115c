"""Achievement (capaian): how far a realisation reaches its target, computed by the server, never typed in.

The formulas are data of the rule pack in force, one of a closed, named set per polarity (no expression a
user types is ever evaluated):

- `ratio`:              R / T × 100          (higher is better)
- `inverse_ratio`:      (2T − R) / T × 100   (lower is better, the national default)
- `inverse_reciprocal`: T / R × 100          (lower is better, as some provinces score it)

A range target [min, max] scores 100 inside it; outside, the rule pack's range rule says against what:
the nearest bound (default) or the midpoint. The rule pack caps and floors the result and labels it with
its categories and lights. A target of zero, or a missing target or realisation, is "not computable", with
the reason: never a division error.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Mapping

POLARITIES = ("higher_is_better", "lower_is_better")
NEAREST_BOUND, MIDPOINT = "nearest_bound", "midpoint"
RANGE_RULES = (NEAREST_BOUND, MIDPOINT)
# How a period longer than the indicator's frequency is scored: version 1 took the mean of the sub-periods'
# achievements; from version 2 the realisations are aggregated (sum, average, last) and scored once.
MEAN_OF_PERIODS, AGGREGATE = "mean_of_periods", "aggregate"
METHODS = (MEAN_OF_PERIODS, AGGREGATE)


@dataclass(frozen=True)
class Target:
    value: float | None = None
    min: float | None = None
    max: float | None = None

    @property
    def is_range(self) -> bool:
        return self.min is not None and self.max is not None

    def describe(self) -> str:
        return f"{self.min:g}–{self.max:g}" if self.is_range else f"{self.value:g}"


@dataclass(frozen=True)
class NotComputable:
    reason: str


def _ratio(target: float, realised: float) -> float | NotComputable:
    return realised / target * 100


def _inverse_ratio(target: float, realised: float) -> float | NotComputable:
    return (2 * target - realised) / target * 100


def _inverse_reciprocal(target: float, realised: float) -> float | NotComputable:
    return NotComputable("the realisation is zero") if realised == 0 else target / realised * 100


FORMULAS: Mapping[str, Callable[[float, float], float | NotComputable]] = {
    "ratio": _ratio, "inverse_ratio": _inverse_ratio, "inverse_reciprocal": _inverse_reciprocal}
FORMULA_TEXT = {"ratio": "R / T × 100", "inverse_ratio": "(2T − R) / T × 100", "inverse_reciprocal": "T / R × 100"}


@dataclass(frozen=True)
class Band:
    """A category of achievement: given to a score from `min` up (strictly above it unless `inclusive`);
    the last band of a rule pack has no `min`."""

    code: str
    label: str
    min: float | None
    inclusive: bool = True

    def holds(self, score: float) -> bool:
        return self.min is None or (score >= self.min if self.inclusive else score > self.min)


def _bands(*rows: tuple[str, str, float | None, bool]) -> tuple[Band, ...]:
    return tuple(Band(*row) for row in rows)


# The predicate of the national SAKIP evaluation (PermenPANRB 88/2021): version 1's labels.
EVALUATION_PREDICATES = _bands(("AA", "AA", 90, False), ("A", "A", 80, False), ("BB", "BB", 70, False),
                               ("B", "B", 60, False), ("CC", "CC", 50, False), ("C", "C", 30, False),
                               ("D", "D", None, False))
# The achievement categories of regional governments (Permendagri 86/2017): the default from version 2.
ACHIEVEMENT_CATEGORIES = _bands(("sangat_tinggi", "Sangat Tinggi", 91, True), ("tinggi", "Tinggi", 76, True),
                                ("sedang", "Sedang", 66, True), ("rendah", "Rendah", 51, True),
                                ("sangat_rendah", "Sangat Rendah", None, True))


@dataclass(frozen=True)
class RulePack:
    """Versioned, effective-dated configuration of scoring. `effective_from` None: proposed, not yet in
    force for any period. `bands` best first; `green_from` and `yellow_from` are the lowest scores of those
    lights."""

    version: int
    effective_from: date | None
    method: str = AGGREGATE
    formulas: Mapping[str, str] = field(default_factory=lambda: {"higher_is_better": "ratio",
                                                                 "lower_is_better": "inverse_ratio"})
    range_rule: str = NEAREST_BOUND
    cap: float = 120.0
    floor: float = 0.0
    bands: tuple[Band, ...] = ACHIEVEMENT_CATEGORIES
    green_from: float = 76.0
    yellow_from: float = 51.0
    description: str = ""

    def category(self, score: float) -> Band:
        return next((band for band in self.bands if band.holds(score)), self.bands[-1])

    def grade(self, score: float) -> str:
        return self.category(score).code

    def light(self, score: float) -> str:
        return "green" if score >= self.green_from else "yellow" if score >= self.yellow_from else "red"

    def bounded(self, value: float) -> float:
        return round(min(max(value, self.floor), self.cap), 2)

    def against(self, polarity: str, target: float, realised: float) -> float | NotComputable:
        if target == 0:
            return NotComputable("the target is zero")
        return FORMULAS[self.formulas[polarity]](target, realised)


VERSION_1 = RulePack(version=1, effective_from=date(2000, 1, 1), method=MEAN_OF_PERIODS,
                     bands=EVALUATION_PREDICATES, green_from=90.0, yellow_from=70.0,
                     description="National defaults: R/T×100, (2T−R)/T×100, ranges against the nearest bound, "
                                 "cap 120, a period's achievement the mean of its sub-periods', labels AA > 90, "
                                 "A > 80, BB > 70, B > 60, CC > 50, C > 30, D")
VERSION_2 = RulePack(version=2, effective_from=date(2000, 1, 1),
                     description="SAKIP: realisations aggregated per indicator (sum, average, last) and scored "
                                 "once per period; R/T×100, (2T−R)/T×100, ranges against the nearest bound, cap "
                                 "120; categories of Permendagri 86/2017: ≥ 91 Sangat Tinggi, ≥ 76 Tinggi, ≥ 66 "
                                 "Sedang, ≥ 51 Rendah, Sangat Rendah")
DEFAULT_RULE_PACK = VERSION_2


def achievement(polarity: str, target: Target | None, realised: float | None,
                rules: RulePack = DEFAULT_RULE_PACK) -> float | NotComputable:
    """The bounded achievement of `realised` against `target`, or why it cannot be computed."""
    if target is None:
        return NotComputable("no target")
    if realised is None:
        return NotComputable("no verified realisation")
    if target.is_range:
        if target.min <= realised <= target.max:
            return rules.bounded(100.0)
        if rules.range_rule == MIDPOINT:
            against = (target.min + target.max) / 2
        else:
            against = target.min if realised < target.min else target.max
        raw = rules.against(polarity, against, realised)
    else:
        raw = rules.against(polarity, target.value, realised)
    return raw if isinstance(raw, NotComputable) else rules.bounded(raw)


def rule_pack_for(packs: list[RulePack], day: date) -> RulePack:
    """The rule pack in force on `day`: the newest version effective on or before it."""
    eligible = [p for p in packs if p.effective_from is not None and p.effective_from <= day]
    return max(eligible, key=lambda p: p.version) if eligible else DEFAULT_RULE_PACK
