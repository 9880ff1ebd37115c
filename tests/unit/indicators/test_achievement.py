"""The achievement formulas, the rule pack and the scoring arithmetic, with the design's test vectors."""
from __future__ import annotations

from datetime import date

import pytest

from services.indicators.domain.achievement import (DEFAULT_RULE_PACK, VERSION_1, NotComputable, RulePack, Target,
                                                    achievement, rule_pack_for)
from services.indicators.domain.periods import InvalidPeriod, Period, parse_period
from services.indicators.domain.scoring import coverage, indicator_result, rollup, weighted_mean

LOWER, HIGHER = "lower_is_better", "higher_is_better"


@pytest.mark.parametrize("polarity, target, realised, expected", [
    (LOWER, Target(min=7, max=8), 6.5, 107.14),     # days of a procedure: below the range is better
    (LOWER, Target(min=7, max=8), 9, 87.5),
    (HIGHER, Target(min=80, max=90), 70, 87.5),
    (HIGHER, Target(min=80, max=90), 85, 100.0),    # inside the range
    (LOWER, Target(min=7, max=8), 7.5, 100.0),
    (HIGHER, Target(value=80), 60, 75.0),
    (LOWER, Target(value=10), 12, 80.0),
    (HIGHER, Target(value=50), 100, 120.0),         # capped at the rule pack's 120
    (LOWER, Target(value=10), 25, 0.0),             # floored at 0
])
def test_formula_vectors(polarity, target, realised, expected):
    assert achievement(polarity, target, realised) == expected


@pytest.mark.parametrize("target, realised, reason", [
    (Target(value=0), 5, "the target is zero"), (None, 5, "no target"), (Target(value=5), None,
                                                                         "no verified realisation"),
    (Target(min=0, max=0), 3, "the target is zero")])
def test_what_cannot_be_computed_says_why(target, realised, reason):
    assert achievement(HIGHER, target, realised) == NotComputable(reason)


@pytest.mark.parametrize("score, grade", [(90, "A"), (90.01, "AA"), (80, "BB"), (80.5, "A"), (50, "C"), (30, "D"),
                                          (30.01, "C"), (0, "D"), (120, "AA")])
def test_version_1_band_edges(score, grade):
    assert VERSION_1.grade(score) == grade


@pytest.mark.parametrize("score, light", [(90, "green"), (89.99, "yellow"), (70, "yellow"), (69.99, "red")])
def test_version_1_traffic_lights(score, light):
    assert VERSION_1.light(score) == light


@pytest.mark.parametrize("score, light", [(76, "green"), (75.99, "yellow"), (51, "yellow"), (50.99, "red")])
def test_traffic_lights(score, light):
    assert DEFAULT_RULE_PACK.light(score) == light


def test_the_rule_pack_in_force_is_the_newest_effective_one():
    v2 = RulePack(version=2, effective_from=date(2026, 1, 1), cap=110)
    v3 = RulePack(version=3, effective_from=date(2027, 1, 1))
    packs = [VERSION_1, v2, v3, RulePack(version=4, effective_from=None)]  # 4: proposed, in force nowhere
    assert rule_pack_for(packs, date(2025, 6, 1)).version == 1
    assert rule_pack_for(packs, date(2099, 1, 1)).version == 3
    assert rule_pack_for(packs, date(2026, 1, 1)).version == 2
    assert achievement(HIGHER, Target(value=50), 100, v2) == 110.0


def test_periods():
    assert parse_period("202503") == Period(2025, 1, 3)
    assert [str(p) for p in parse_period("2025Q2").inside("monthly")] == ["202504", "202505", "202506"]
    assert [str(p) for p in parse_period("2025").inside("quarterly")] == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    assert parse_period("2025Q1").inside("annual") == []
    assert [str(p) for p in parse_period("202511").containing()] == ["202511", "2025Q4", "2025"]
    with pytest.raises(InvalidPeriod):
        parse_period("2025Q1", "monthly")
    for text in ("2025Q5", "202513", "25", "2025-03", "1800"):
        with pytest.raises(InvalidPeriod):
            parse_period(text)


def test_an_indicator_over_a_year_is_the_mean_of_its_computable_months():
    targets = {f"2025{m:02d}": Target(value=100) for m in range(1, 13)}
    verified = {"202501": 90.0, "202502": 110.0, "202503": 50.0}
    result = indicator_result(HIGHER, "monthly", parse_period("2025"), targets, verified, VERSION_1)
    assert result.achievement == round((90 + 110 + 50) / 3, 2) and result.periods_verified == 3
    assert result.periods_expected == 12 and result.target is None
    quarter = indicator_result(HIGHER, "monthly", parse_period("2025Q2"), targets, verified, VERSION_1)
    assert quarter.achievement is None and "202504: no verified realisation" in quarter.reason


def test_weighted_score_coverage_and_a_three_level_roll_up_by_hand():
    assert weighted_mean([(80, 2), (50, 1)]) == 70.0
    assert weighted_mean([]) is None
    # A regency (own score 70, weight 1) with two work units: unit A (90, weight 2), unit B whose own
    # score is 60 and whose one sub-unit scores 100 (weight 3).
    unit_b = rollup((60, 1), [(100, 3)])                     # (60 + 300) / 4 = 90
    regency = rollup((70, 1), [(90, 2), (unit_b, 1)])       # (70 + 180 + 90) / 4 = 85
    assert (unit_b, regency) == (90.0, 85.0)
    assert rollup((None, 1), [(80, 1), (None, 5)]) == 80.0   # nothing computable is left out, not a zero
    results = [indicator_result(HIGHER, "annual", parse_period("2025"), {"2025": Target(value=10)}, v,
                                DEFAULT_RULE_PACK) for v in ({"2025": 9.0}, {})]
    assert coverage(results) == 0.5
