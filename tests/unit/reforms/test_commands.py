"""Retrying a read-check-write when someone else changed the record first."""
from __future__ import annotations

import pytest

from shared.errors import StaleVersion, Unavailable
from services.reforms.commands.common import STALE_RETRIES, retrying_when_stale


def attempts_failing(times: int):
    calls = []

    def attempt():
        calls.append(1)
        if len(calls) <= times:
            raise StaleVersion("changed meanwhile", current_version=len(calls))
        return "written"
    return attempt, calls


def test_without_if_match_a_concurrent_change_is_retried():
    attempt, calls = attempts_failing(3)
    assert retrying_when_stale(None, attempt) == "written" and len(calls) == 4


def test_with_if_match_the_callers_version_is_final():
    attempt, calls = attempts_failing(1)
    with pytest.raises(StaleVersion):
        retrying_when_stale(4, attempt)
    assert len(calls) == 1


def test_a_record_that_never_stops_changing_is_503_not_412():
    attempt, calls = attempts_failing(10 ** 6)
    with pytest.raises(Unavailable):
        retrying_when_stale(None, attempt)
    assert len(calls) == STALE_RETRIES
