"""Achievement (capaian): how far a realisation reaches its target, computed by the server, never typed in.

- higher is better: R / T × 100
- lower is better:  (2T − R) / T × 100
- a range target [min, max]: 100 inside it; outside, the formula above against the nearest bound.

The rule pack in force caps the result (and floors it at 0), grades scores (predikat) and gives them a
traffic light. A target of zero, or a missing target or realisation, is "not computable", with the
reason: never a division error.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

POLARITIES = ("higher_is_better", "lower_is_better")


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


@dataclass(frozen=True)
class RulePack:
    """Versioned, effective-dated configuration of scoring. `bands` are (grade, score above which it is
    given), best first; the last grade is given to everything below. `lights` are the lowest scores of
    green and yellow."""

    version: int
    effective_from: date
    cap: float = 120.0
    bands: tuple[tuple[str, float], ...] = (("AA", 90), ("A", 80), ("BB", 70), ("B", 60), ("CC", 50), ("C", 30),
                                            ("D", float("-inf")))
    green_from: float = 90.0
    yellow_from: float = 70.0
    description: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    def grade(self, score: float) -> str:
        for grade, above in self.bands:
            if score > above:
                return grade
        return self.bands[-1][0]

    def light(self, score: float) -> str:
        return "green" if score >= self.green_from else "yellow" if score >= self.yellow_from else "red"

    def bounded(self, value: float) -> float:
        return round(min(max(value, 0.0), self.cap), 2)


DEFAULT_RULE_PACK = RulePack(version=1, effective_from=date(2000, 1, 1),
                             description="National defaults: R/T×100, (2T−R)/T×100, ranges against the nearest bound, "
                                         "cap 120, predikat AA > 90, A > 80, BB > 70, B > 60, CC > 50, C > 30, D")


def _against(polarity: str, target: float, realised: float) -> float | NotComputable:
    if target == 0:
        return NotComputable("the target is zero")
    if polarity == "higher_is_better":
        return realised / target * 100
    return (2 * target - realised) / target * 100


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
        nearest = target.min if realised < target.min else target.max
        raw = _against(polarity, nearest, realised)
    else:
        raw = _against(polarity, target.value, realised)
    return raw if isinstance(raw, NotComputable) else rules.bounded(raw)


def rule_pack_for(packs: list[RulePack], day: date) -> RulePack:
    """The rule pack in force on `day`: the newest version effective on or before it."""
    eligible = [p for p in packs if p.effective_from <= day]
    return max(eligible, key=lambda p: p.version) if eligible else DEFAULT_RULE_PACK
