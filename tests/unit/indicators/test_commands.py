"""The indicators commands on fakes: the realisation workflow and its history, nobody verifying their own,
period locks, target revisions, and the reform-fed count as a command of the system (audited, through the
workflow, kept pending while its period is locked)."""
from __future__ import annotations

import pytest

from shared.errors import Conflict, Forbidden, Invalid, NotFound, StaleVersion
from services.indicators.commands.indicators import retire_indicator, set_target, update_indicator
from services.indicators.commands.locks import lock_period, unlock_period
from services.indicators.commands.realisations import (REFORMS, count_reform_activities, record_realisation,
                                                       reject_realisation, reopen_realisation, submit_realisation,
                                                       verify_realisation)
from services.indicators.commands.common import IndicatorsContext
from services.indicators.domain.periods import parse_period
from tests.support.fakes import pending_audit, pending_events
from tests.unit.indicators.conftest import indicator_of, verified_value


def events_of(repo, subject: str) -> list[tuple[str, int]]:
    return [(e.type.split(".")[2], e.sequence) for e in pending_events(repo.realisations, repo.indicators)
            if e.subject == subject]


def test_the_workflow_with_its_history_events_and_audit_records(repo, tree, as_):
    indicator = indicator_of(as_(), tree["pendidikan"])
    operator, evaluator = as_("operator", "pendidikan", "siti"), as_("evaluator", "tanjabbar", "budi")
    with pytest.raises(NotFound, match="record one first"):
        submit_realisation(operator, indicator["id"], "2025")
    draft = record_realisation(operator, indicator["id"], "2025", {"value": 82.5, "note": "survei II"})
    assert (draft["status"], draft["version"], draft["source"]) == ("draft", 1, "manual")
    with pytest.raises(Conflict) as early:
        verify_realisation(evaluator, indicator["id"], "2025")
    assert early.value.extensions["allowed"] == ["record", "submit"]
    submit_realisation(operator, indicator["id"], "2025")
    rejected = reject_realisation(evaluator, indicator["id"], "2025", "bukti tidak lengkap")
    assert (rejected["status"], rejected["reason"], rejected["verified_by"]) == ("rejected", "bukti tidak lengkap", "budi")
    record_realisation(operator, indicator["id"], "2025", {"value": 83})
    submit_realisation(operator, indicator["id"], "2025")
    done = verify_realisation(evaluator, indicator["id"], "2025")
    assert (done["status"], done["value"], done["version"]) == ("verified", 83, 6)
    with pytest.raises(Conflict):
        record_realisation(operator, indicator["id"], "2025", {"value": 90})  # verified: reopen first
    reopened = reopen_realisation(evaluator, indicator["id"], "2025", "angka direvisi BPS")
    assert [(h["action"], h["status"], h["by"]) for h in reopened["history"]] == [
        ("record", "draft", "siti"), ("submit", "submitted", "siti"), ("reject", "rejected", "budi"),
        ("record", "draft", "siti"), ("submit", "submitted", "siti"), ("verify", "verified", "budi"),
        ("reopen", "draft", "budi")]
    assert events_of(repo, reopened["id"]) == [("recorded", 1), ("submitted", 2), ("rejected", 3), ("recorded", 4),
                                               ("submitted", 5), ("verified", 6), ("reopened", 7)]
    records = [r for r in pending_audit(repo.realisations) if r["entity_id"] == reopened["id"]]
    assert [(r["action"], r["actor"]) for r in records] == [(h["action"], h["by"]) for h in reopened["history"]]
    # one clock reading per change: the history entry, updated_at and the audit record say the same time
    assert reopened["history"][-1]["at"] == reopened["updated_at"] == records[-1]["at"]
    assert done["verified_at"] == done["updated_at"] == done["history"][-1]["at"]


@pytest.mark.parametrize("role", ["admin", "evaluator"])
def test_nobody_verifies_or_rejects_what_they_submitted(repo, tree, as_, role):
    indicator = indicator_of(as_(), tree["pendidikan"])
    operator = as_("operator", "pendidikan", "same-person")
    record_realisation(operator, indicator["id"], "2025", {"value": 1})
    submit_realisation(operator, indicator["id"], "2025")
    same = as_(role, "tanjabbar", "same-person")
    with pytest.raises(Forbidden, match="they submitted"):
        verify_realisation(same, indicator["id"], "2025")
    with pytest.raises(Forbidden, match="they submitted"):
        reject_realisation(same, indicator["id"], "2025", "x")
    assert repo.realisations.get(f"{indicator['id']}:2025")["status"] == "submitted"


def test_a_value_is_needed_before_submitting_and_if_match_names_the_version(repo, tree, as_):
    indicator = indicator_of(as_(), tree["pendidikan"])
    record_realisation(as_(), indicator["id"], "2025", {"value": None})
    with pytest.raises(Invalid) as refused:
        submit_realisation(as_(), indicator["id"], "2025")
    assert list(refused.value.errors) == ["value"]
    with pytest.raises(StaleVersion):
        record_realisation(as_(), indicator["id"], "2025", {"value": 3}, if_match=5)
    assert record_realisation(as_(), indicator["id"], "2025", {"value": 3}, if_match=1)["version"] == 2


def test_a_locked_period_refuses_writes_below_the_lock_saying_who_and_when(repo, tree, as_):
    monthly = indicator_of(as_(), tree["bidang_sd"], frequency="monthly")
    lock = lock_period(as_("evaluator", "tanjabbar", "kabag-ortala"), tree["tanjabbar"], "2025", "LKjIP disusun")
    for write in (lambda: set_target(as_(), monthly["id"], "202503", {"value": 5}, None),
                  lambda: record_realisation(as_(), monthly["id"], "202503", {"value": 5})):
        with pytest.raises(Conflict) as refused:
            write()
        assert refused.value.kind == "period-locked" and refused.value.extensions["locked_by"] == "kabag-ortala"
    assert set_target(as_(), monthly["id"], "202603", {"value": 5}, None)["targets"]["202603"]["value"] == 5
    with pytest.raises(Conflict):
        lock_period(as_(), tree["tanjabbar"], "2025", None)  # already locked
    with pytest.raises(Forbidden):
        unlock_period(as_("operator", "tanjabbar"), lock["id"], "x")
    unlocked = unlock_period(as_("evaluator", "jambi"), lock["id"], "revisi")
    assert unlocked["locked"] is False and [h["locked"] for h in unlocked["history"]] == [True, False]
    assert record_realisation(as_(), monthly["id"], "202503", {"value": 5})["status"] == "draft"


def test_a_target_revision_needs_a_reason_and_keeps_its_history(repo, tree, as_):
    indicator = indicator_of(as_(), tree["pendidikan"])
    set_target(as_(), indicator["id"], "2025", {"min": 80, "max": 90}, None)
    with pytest.raises(Invalid) as refused:
        set_target(as_(), indicator["id"], "2025", {"value": 85}, None)
    assert "80–90" in refused.value.errors["reason"][0]
    revised = set_target(as_(), indicator["id"], "2025", {"value": 85}, "PK Perubahan 2025")
    assert revised["targets"]["2025"]["revision"] == 2
    assert [(h["revision"], h["value"], h["reason"]) for h in revised["target_history"]] == [
        (1, None, None), (2, 85, "PK Perubahan 2025")]
    [last] = [r for r in pending_audit(repo.indicators) if r["action"] == "set_target"][-1:]
    assert last["before"]["targets"]["2025"]["min"] == 80 and last["after"]["targets"]["2025"]["value"] == 85


def test_a_retired_indicator_takes_no_more_changes(repo, tree, as_):
    indicator = indicator_of(as_(), tree["pendidikan"])
    retired = retire_indicator(as_(), indicator["id"], "merged", None)
    assert retired["status"] == "retired"
    assert retire_indicator(as_(), indicator["id"], "again", None)["version"] == retired["version"]  # no change
    for write in (lambda: set_target(as_(), indicator["id"], "2025", {"value": 1}, None),
                  lambda: record_realisation(as_(), indicator["id"], "2025", {"value": 1}),
                  lambda: update_indicator(as_(), indicator["id"], {"name": "x"}, None)):
        with pytest.raises(Conflict) as refused:
            write()
        assert refused.value.kind == "retired"


# --- the reform-fed count ----------------------------------------------------------------------

def system(repo) -> IndicatorsContext:
    return IndicatorsContext(REFORMS, repo)


def test_a_count_is_submitted_by_the_system_with_an_audit_record(repo, tree, as_):
    fed = indicator_of(as_(), tree["pendidikan"], fed_by_reforms=[], unit="activities")
    counted = count_reform_activities(system(repo), fed, parse_period("2025"), lambda: 1)
    assert (counted["value"], counted["status"], counted["source"], counted["submitted_by"]) == (
        1, "submitted", "reforms", "system:reforms")
    redelivered = count_reform_activities(system(repo), fed, parse_period("2025"), lambda: 1)
    assert redelivered["version"] == 1  # nothing
    [record] = [r for r in pending_audit(repo.realisations) if r["entity_id"] == counted["id"]]
    assert (record["actor"], record["action"], record["reason"]) == ("system:reforms", "count",
                                                                     "1 completed reform activity")


def test_a_new_count_on_a_verified_realisation_is_a_new_submitted_version_to_verify_again(repo, tree, as_):
    fed = indicator_of(as_(), tree["pendidikan"], fed_by_reforms=[], unit="activities")
    count_reform_activities(system(repo), fed, parse_period("2025"), lambda: 1)
    verify_realisation(as_("evaluator", "tanjabbar", "budi"), fed["id"], "2025")
    again = count_reform_activities(system(repo), fed, parse_period("2025"), lambda: 2)
    assert (again["value"], again["status"], again["verified_by"], again["version"]) == (2, "submitted", None, 3)
    assert [(h["action"], h["status"], h["value"]) for h in again["history"]] == [
        ("count", "submitted", 1), ("verify", "verified", 1), ("count", "submitted", 2)]
    assert events_of(repo, again["id"]) == [("submitted", 1), ("verified", 2), ("submitted", 3)]


def test_a_count_in_a_locked_period_waits_on_the_realisation_and_goes_through_on_unlock(repo, tree, as_):
    fed = indicator_of(as_(), tree["pendidikan"], fed_by_reforms=[], unit="activities")
    verified_value(as_, fed, "2025", 1)
    lock = lock_period(as_("evaluator", "jambi", "kabag"), tree["jambi"], "2025", "LKjIP")
    pending = count_reform_activities(system(repo), fed, parse_period("2025"), lambda: 2)
    assert (pending["value"], pending["status"]) == (1, "verified")  # the lock holds: nothing changed ...
    assert (pending["pending_count"]["value"], pending["pending_count"]["lock_id"]) == (2, lock["id"])  # ... but kept
    assert pending["history"][-1]["action"] == "count_pending"
    assert events_of(repo, pending["id"])[-1] == ("verified", 3)  # no event: nothing others must know yet
    unlock_period(as_("evaluator", "jambi", "kabag"), lock["id"], "revisi")
    applied = count_reform_activities(system(repo), fed, parse_period("2025"), lambda: 2)
    assert (applied["value"], applied["status"]) == (2, "submitted") and "pending_count" not in applied


def test_a_first_count_in_a_locked_period_makes_a_realisation_that_holds_it(repo, tree, as_):
    fed = indicator_of(as_(), tree["kesehatan"], fed_by_reforms=[], unit="activities")
    lock_period(as_(), tree["kesehatan"], "2025", None)
    held = count_reform_activities(system(repo), fed, parse_period("2025"), lambda: 1)
    assert (held["status"], held["value"], held["pending_count"]["value"]) == ("draft", None, 1)


def test_the_same_count_again_changes_nothing_locked_or_not_even_after_an_evaluator_rejected_it(repo, tree, as_):
    fed = indicator_of(as_(), tree["pendidikan"], fed_by_reforms=[], unit="activities")
    count_reform_activities(system(repo), fed, parse_period("2025"), lambda: 2)
    rejected = reject_realisation(as_("evaluator", "tanjabbar", "budi"), fed["id"], "2025", "bukti kurang")
    assert count_reform_activities(system(repo), fed, parse_period("2025"), lambda: 2) == rejected  # a redelivery
    lock_period(as_(), tree["tanjabbar"], "2025", "LKjIP")
    assert count_reform_activities(system(repo), fed, parse_period("2025"), lambda: 2) == rejected  # under the lock too
    held = count_reform_activities(system(repo), fed, parse_period("2025"), lambda: 3)  # a new count: kept for later
    assert (held["status"], held["pending_count"]["value"]) == ("rejected", 3)


def test_a_count_kept_pending_just_as_the_period_is_unlocked_is_counted_at_once(repo, tree, as_, monkeypatch):
    from services.indicators.commands import realisations

    fed = indicator_of(as_(), tree["pendidikan"], fed_by_reforms=[], unit="activities")
    lock = lock_period(as_(), tree["pendidikan"], "2025", "LKjIP")
    covering, seen = realisations.lock_covering, []

    def unlocked_right_after_the_check(ctx, agency, period):
        found = covering(ctx, agency, period)
        if found is not None and not seen:
            seen.append(found)
            unlock_period(as_(), lock["id"], "revisi")  # between the check and the write
        return found
    monkeypatch.setattr(realisations, "lock_covering", unlocked_right_after_the_check)
    counted = count_reform_activities(system(repo), fed, parse_period("2025"), lambda: 1)
    assert (counted["value"], counted["status"], "pending_count" in counted) == (1, "submitted", False)


def test_a_count_taken_before_another_workers_newer_count_does_not_undo_it(repo, tree, as_):
    """Two workers count the same realisation (two activities' events on two partitions); the one that read
    the facts first writes last: its decision is taken again on the newer state with the facts as they are."""
    fed = indicator_of(as_(), tree["pendidikan"], fed_by_reforms=[], unit="activities")
    count_reform_activities(system(repo), fed, parse_period("2025"), lambda: 2)
    lock_period(as_(), tree["pendidikan"], "2025", "LKjIP")
    facts = [2]

    def stale_then_current():
        if facts == [2]:  # the other worker records a third activity and keeps its count while this one decides
            facts.append(3)
            count_reform_activities(system(repo), fed, parse_period("2025"), lambda: facts[-1])
            return 2
        return facts[-1]
    count_reform_activities(system(repo), fed, parse_period("2025"), stale_then_current)
    stored = repo.realisations.collection.find_one({"indicator_id": fed["id"]})
    assert (stored["value"], stored["pending_count"]["value"]) == (2, 3)
    # and a worker that learnt of the facts before the other one wrote asks for them as it decides
    count_reform_activities(system(repo), fed, parse_period("2025"), lambda: facts[-1])
    stored = repo.realisations.collection.find_one({"indicator_id": fed["id"]})
    assert (stored["value"], stored["pending_count"]["value"]) == (2, 3)


def test_a_realisation_counted_before_the_applied_count_was_kept_is_not_counted_again(repo, tree, as_):
    fed = indicator_of(as_(), tree["pendidikan"], fed_by_reforms=[], unit="activities")
    counted = count_reform_activities(system(repo), fed, parse_period("2025"), lambda: 1)
    verified = verify_realisation(as_("evaluator", "tanjabbar", "budi"), fed["id"], "2025")
    repo.realisations.collection.update_one({"_id": counted["id"]}, {"$unset": {"reform_count": ""}})
    redelivered = count_reform_activities(system(repo), fed, parse_period("2025"), lambda: 1)
    assert (redelivered["status"], redelivered["version"]) == ("verified", verified["version"])
