"""Reporting gaps: which reports are expected by when, and what state each is in."""
from __future__ import annotations

from datetime import date

from services.indicators.domain.data_quality import data_quality
from services.indicators.domain.periods import Period, parse_period


def indicator(code, frequency="annual", agency="unit"):
    return {"id": code, "code": code, "name": f"Indikator {code}", "agency_id": agency, "frequency": frequency}


def test_period_ends():
    assert [parse_period(p).end for p in ("2024", "2025Q1", "202402", "202412")] == [
        date(2024, 12, 31), date(2025, 3, 31), date(2024, 2, 29), date(2024, 12, 31)]


def test_each_report_is_counted_by_state_and_gaps_are_listed_by_deadline():
    indicators = [indicator("A"), indicator("B"), indicator("C"), indicator("D"), indicator("M", "monthly")]
    found = {("A", "2025"): {"status": "verified"}, ("B", "2025"): {"status": "submitted"},
             ("C", "2025"): {"status": "rejected", "reason": "no evidence", "verified_by": "inspektorat"},
             ("M", "202501"): {"status": "verified"}, ("M", "202502"): {"status": "draft"}}
    result = data_quality(indicators, found, Period(2025), as_of=date(2025, 4, 10), grace_days=30)
    # D and the year of A/B/C: 4 annual reports; M: January to April (May has not begun)
    assert result["expected"] == 8
    assert result["counts"] == {"verified": 2, "submitted": 1, "rejected": 1, "draft": 1, "missing": 3}
    assert [(g["code"], g["period"], g["status"], g["deadline"], g["overdue"], g["days_left"])
            for g in result["missing"]] == [
        ("M", "202502", "draft", date(2025, 3, 30), True, -11),
        ("M", "202503", "missing", date(2025, 4, 30), False, 20),
        ("M", "202504", "missing", date(2025, 5, 30), False, 50),
        ("D", "2025", "missing", date(2026, 1, 30), False, 295)]
    assert [(g["code"], g["reason"], g["rejected_by"]) for g in result["rejected"]] == [
        ("C", "no evidence", "inspektorat")]


def test_nothing_is_expected_of_a_period_that_has_not_begun():
    result = data_quality([indicator("A"), indicator("Q", "quarterly")], {}, Period(2026), as_of=date(2025, 12, 31),
                          grace_days=30)
    assert (result["expected"], result["missing"]) == (0, [])
    later = data_quality([indicator("Q", "quarterly")], {}, Period(2025, 2), as_of=date(2025, 8, 1), grace_days=30)
    assert [(g["period"], g["overdue"]) for g in later["missing"]] == [("2025Q2", True)]
