"""SAKIP measurement in the domain: aggregation per indicator (the issue's vectors), targets for longer periods,
the year to date, partial results, the achievement categories of Permendagri 86/2017 and formulas as data."""
from __future__ import annotations

from dataclasses import replace

import pytest

from services.indicators.domain.achievement import (DEFAULT_RULE_PACK, VERSION_1, NotComputable, Target,
                                                    achievement)
from services.indicators.domain.aggregation import measure, target_of, year_to_date
from services.indicators.domain.periods import parse_period
from services.indicators.domain.scoring import indicator_result

HIGHER, LOWER = "higher_is_better", "lower_is_better"
QUARTERS = ("2025Q1", "2025Q2", "2025Q3", "2025Q4")


def targets(**by_period) -> dict[str, Target]:
    return {period.lstrip("_"): Target(value=value) for period, value in by_period.items()}


def test_sum_quarterly_against_an_annual_target():
    verified = dict(zip(QUARTERS, (20, 30, 25, 15)))
    year = measure("sum", HIGHER, "quarterly", parse_period("2025"), targets(_2025=120), verified, DEFAULT_RULE_PACK)
    assert (year.realised, year.achievement, year.partial) == (90, 75.0, False)
    assert (year.periods_verified, year.periods_expected) == (4, 4)


def test_sum_year_to_date_against_the_quarterly_targets():
    verified = dict(zip(QUARTERS, (20, 30, 25, 15)))
    quarterly = {**targets(_2025=120), **{q: Target(value=30) for q in QUARTERS}}
    q2 = year_to_date("sum", HIGHER, "quarterly", parse_period("2025Q2"), quarterly, verified, DEFAULT_RULE_PACK)
    assert (q2.realised, q2.target, q2.achievement) == (50, Target(value=60), 83.33)
    assert measure("sum", HIGHER, "quarterly", parse_period("2025Q2"), quarterly, verified,
                   DEFAULT_RULE_PACK).achievement == 100.0  # the quarter alone: 30 of 30


def test_average_monthly_is_partial_with_three_of_twelve_months():
    verified = {"202501": 70, "202502": 80, "202503": 90}
    year = measure("average", HIGHER, "monthly", parse_period("2025"), targets(_2025=80), verified, DEFAULT_RULE_PACK)
    assert (year.realised, year.achievement, year.partial) == (80, 100.0, True)
    assert (year.periods_verified, year.periods_expected) == (3, 12)


def test_last_lower_is_better_takes_the_latest_verified_quarter():
    verified = {"2025Q1": 12, "2025Q2": 11, "2025Q3": 9}
    year = measure("last", LOWER, "quarterly", parse_period("2025"), targets(_2025=10), verified, DEFAULT_RULE_PACK)
    assert (year.realised, year.achievement, year.partial) == (9, 110.0, True)
    assert (year.periods_verified, year.periods_expected) == (3, 4)


def test_the_vectors_through_the_scorecard_row():
    row = indicator_result(HIGHER, "quarterly", parse_period("2025"), targets(_2025=120),
                           dict(zip(QUARTERS, (20, 30, 25, 15))), DEFAULT_RULE_PACK, "sum")
    assert (row.realised, row.achievement, row.target, row.partial) == (90, 75.0, "120", False)
    last = indicator_result(LOWER, "quarterly", parse_period("2025"), targets(_2025=10),
                            {"2025Q1": 12, "2025Q2": 11, "2025Q3": 9}, DEFAULT_RULE_PACK, "last")
    assert (last.realised, last.achievement, last.periods_verified, last.periods_expected) == (9, 110.0, 3, 4)
    assert row.ytd is None  # a year has no year to date
    q2 = indicator_result(HIGHER, "quarterly", parse_period("2025Q2"), {q: Target(value=30) for q in QUARTERS},
                          {"2025Q1": 20, "2025Q2": 30}, DEFAULT_RULE_PACK, "sum")
    assert q2.ytd == {"realised": 50, "target": "60", "achievement": 83.33, "not_computable": None,
                      "periods_verified": 2, "periods_expected": 2, "partial": False}


def test_a_target_of_a_longer_period_is_the_one_set_else_its_parts_aggregated():
    monthly = {f"2025{m:02d}": Target(value=10) for m in range(1, 13)}
    assert target_of("sum", parse_period("2025"), "monthly", monthly) == Target(value=120)
    assert target_of("average", parse_period("2025Q2"), "monthly", monthly) == Target(value=10)
    # A quarter's own target wins over its months'; the year is built of its quarters.
    assert target_of("sum", parse_period("2025"), "monthly", {**monthly, "2025Q1": Target(value=45)}) == \
        Target(value=45 + 90)
    assert target_of("last", parse_period("2025"), "quarterly", {"2025Q4": Target(value=7)}) == Target(value=7)
    assert target_of("sum", parse_period("2025"), "quarterly", {"2025Q1": Target(value=7)}) is None  # Q2-Q4 missing
    ranges = {q: Target(min=5, max=8) for q in QUARTERS}
    assert target_of("sum", parse_period("2025"), "quarterly", ranges) == Target(min=20, max=32)
    assert target_of("sum", parse_period("2025"), "quarterly", {**ranges, "2025Q1": Target(value=6)}) is None


def test_an_average_or_last_month_without_a_target_takes_its_quarters_or_years():
    quarterly = {"2025": Target(value=95), "2025Q3": Target(value=90)}
    assert target_of("average", parse_period("202509"), "monthly", quarterly) == Target(value=90)
    assert target_of("last", parse_period("202502"), "monthly", quarterly) == Target(value=95)
    assert target_of("sum", parse_period("202509"), "monthly", quarterly) is None  # a sum's month is no quarter
    # A quarter built of its months' own targets keeps them, before any containing period's.
    months = {"202501": Target(value=10), "202502": Target(value=20), "202503": Target(value=30)}
    assert target_of("average", parse_period("2025Q1"), "monthly", {**months, "2025": Target(value=99)}) == \
        Target(value=20)


def test_nothing_verified_is_not_computable_with_the_reason():
    result = measure("sum", HIGHER, "quarterly", parse_period("2025"), targets(_2025=120), {}, DEFAULT_RULE_PACK)
    assert result.achievement == NotComputable("no verified realisation") and result.periods_verified == 0
    assert measure("sum", HIGHER, "quarterly", parse_period("2025"), {}, {"2025Q1": 3},
                   DEFAULT_RULE_PACK).achievement == NotComputable("no target")


def test_version_1_keeps_the_mean_of_the_sub_periods_achievements():
    verified = dict(zip(QUARTERS, (20, 30, 25, 15)))
    quarterly = {q: Target(value=30) for q in QUARTERS}
    old = indicator_result(HIGHER, "quarterly", parse_period("2025"), quarterly, verified, VERSION_1, "sum")
    assert old.achievement == round((66.67 + 100 + 83.33 + 50) / 4, 2) and old.realised is None
    new = indicator_result(HIGHER, "quarterly", parse_period("2025"), quarterly, verified, DEFAULT_RULE_PACK, "sum")
    assert new.achievement == 75.0 and new.realised == 90


@pytest.mark.parametrize("score, code, label", [
    (91, "sangat_tinggi", "Sangat Tinggi"), (90.99, "tinggi", "Tinggi"), (76, "tinggi", "Tinggi"),
    (75.99, "sedang", "Sedang"), (66, "sedang", "Sedang"), (65.99, "rendah", "Rendah"), (51, "rendah", "Rendah"),
    (50.99, "sangat_rendah", "Sangat Rendah"), (0, "sangat_rendah", "Sangat Rendah"),
    (120, "sangat_tinggi", "Sangat Tinggi")])
def test_category_band_edges_of_permendagri_86_2017(score, code, label):
    band = DEFAULT_RULE_PACK.category(score)
    assert (band.code, band.label) == (code, label)


def test_formulas_are_the_rule_packs_choice():
    reciprocal = replace(DEFAULT_RULE_PACK, version=3, formulas={HIGHER: "ratio", LOWER: "inverse_reciprocal"})
    assert achievement(LOWER, Target(value=10), 8, DEFAULT_RULE_PACK) == 120.0  # (20 - 8) / 10, capped at 120
    assert achievement(LOWER, Target(value=10), 12.5, reciprocal) == 80.0      # 10 / 12.5
    assert achievement(LOWER, Target(value=10), 12.5, DEFAULT_RULE_PACK) == 75.0
    assert achievement(LOWER, Target(value=10), 0, reciprocal) == NotComputable("the realisation is zero")
    capped = replace(DEFAULT_RULE_PACK, cap=110, floor=20)
    assert achievement(HIGHER, Target(value=50), 100, capped) == 110.0
    assert achievement(HIGHER, Target(value=50), 5, capped) == 20.0
    midpoint = replace(DEFAULT_RULE_PACK, range_rule="midpoint")
    assert achievement(HIGHER, Target(min=80, max=90), 68, midpoint) == 80.0   # 68 / 85
    assert achievement(HIGHER, Target(min=80, max=90), 68, DEFAULT_RULE_PACK) == 85.0  # 68 / 80
