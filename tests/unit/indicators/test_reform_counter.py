"""Completed reform activities counted by the indicators worker, on fakes: once per activity however often
delivered, through the workflow command, and a count kept pending under a lock goes through when the
period-unlocked event arrives."""
from __future__ import annotations

import uuid

import pytest

from shared.contracts.indicators import PERIOD_UNLOCKED
from shared.contracts.reforms import ACTIVITY_COMPLETED
from shared.events.envelope import Event
from services.indicators.commands.locks import lock_period, unlock_period
from services.indicators.consumers import build_registry
from tests.support.fakes import pending_events
from tests.support.pump import deliver
from tests.unit.indicators.conftest import indicator_of


@pytest.fixture
def registry(repo):
    return build_registry(repo)


def completed(indicator_ids, area="manajemen_perubahan", end="2025-08-21T15:00:00+07:00") -> Event:
    activity_id = uuid.uuid4().hex
    activity = {"id": activity_id, "title": "FGD", "kind": "fgd", "area": area, "organiser_agency_id": "x",
                "status": "completed", "start": end, "end": end, "linked_indicator_ids": indicator_ids,
                "participant_agency_ids": []}
    event = ACTIVITY_COMPLETED.build(source="reforms", subject=activity_id, sequence=3, data={"activity": activity})
    return Event.from_dict(event.to_dict())


def test_each_activity_counts_once_and_only_for_indicators_fed_by_its_area(repo, tree, as_, registry):
    fed = indicator_of(as_(), tree["pendidikan"], fed_by_reforms=["manajemen_perubahan"], unit="activities")
    unfed = indicator_of(as_(), tree["pendidikan"])
    first = completed([fed["id"], unfed["id"]])
    deliver(registry, [first])
    deliver(registry, [first])  # redelivered
    assert repo.realisations.get(f"{fed['id']}:2025")["value"] == 1
    deliver(registry, [completed([fed["id"]]), completed([fed["id"]], area="deregulasi_kebijakan")])
    assert repo.realisations.get(f"{fed['id']}:2025")["value"] == 2
    assert repo.realisations.get(f"{unfed['id']}:2025") is None


def test_an_activity_linked_to_two_fed_indicators_counts_for_both(repo, tree, as_, registry):
    # The ledger was unique per event: the second indicator's fact was refused and it was counted as 0.
    first = indicator_of(as_(), tree["pendidikan"], code="RB-1", fed_by_reforms=[], unit="activities")
    second = indicator_of(as_(), tree["tanjabbar"], code="RB-2", fed_by_reforms=[], unit="activities")
    event = completed([first["id"], second["id"]])
    deliver(registry, [event, event])
    assert [repo.realisations.get(f"{i['id']}:2025")["value"] for i in (first, second)] == [1, 1]


def test_a_count_pending_under_a_lock_goes_through_when_the_period_is_unlocked(repo, tree, as_, registry):
    fed = indicator_of(as_(), tree["bidang_sd"], fed_by_reforms=[], unit="activities", frequency="quarterly")
    lock = lock_period(as_(), tree["tanjabbar"], "2025", "LKjIP")
    deliver(registry, [completed([fed["id"]])])
    held = repo.realisations.get(f"{fed['id']}:2025Q3")
    assert (held["value"], held["pending_count"]["value"]) == (None, 1)
    unlocked = unlock_period(as_(), lock["id"], "revisi")
    [event] = [e for e in pending_events(repo.locks) if e.type == PERIOD_UNLOCKED.type and e.sequence == unlocked["version"]]
    deliver(registry, [event])
    applied = repo.realisations.get(f"{fed['id']}:2025Q3")
    assert (applied["value"], applied["status"], "pending_count" in applied) == (1, "submitted", False)
