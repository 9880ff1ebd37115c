"""The reforms commands on fakes: planning and the lifecycle (each step one event, history and audit
record), participants all or none, attendance, follow-ups and who may change them."""
from __future__ import annotations

from datetime import date

import pytest

from shared.errors import Conflict, Forbidden, Invalid, NotFound, StaleVersion
from services.reforms.commands.activities import (cancel_activity, complete_activity, start_activity,
                                                  update_activity)
from services.reforms.commands.follow_ups import create_follow_up, update_follow_up
from services.reforms.commands.participants import mark_attendance, register_participants, remove_participant
from tests.support.fakes import pending_audit, pending_events
from tests.unit.reforms.conftest import people, planned


def events_of(repo, subject: str) -> list[str]:
    return [e.type.split(".")[2] for e in pending_events(repo.activities, repo.follow_ups) if e.subject == subject]


def test_the_lifecycle_with_its_events_history_and_audit_records(repo, org, as_, indicator):
    officer = as_("operator", "unit01", "reform-officer")
    activity = planned(officer, org["unit01"], linked_indicator_ids=[indicator["id"]])
    assert (activity["status"], activity["year"], activity["utc_offset_minutes"]) == ("planned", 2025, 420)
    start_activity(officer, activity["id"], None)
    with pytest.raises(Conflict) as refused:
        start_activity(officer, activity["id"], None)
    assert refused.value.extensions["allowed"] == ["cancel", "complete"]
    done = complete_activity(officer, activity["id"], "22 pimpinan SKPD hadir", ["komitmen perubahan"], None)
    assert (done["status"], done["summary"], done["version"]) == ("completed", "22 pimpinan SKPD hadir", 3)
    assert [(h["status"], h["by"]) for h in done["history"]] == [
        ("planned", "reform-officer"), ("in_progress", "reform-officer"), ("completed", "reform-officer")]
    assert events_of(repo, activity["id"]) == ["planned", "started", "completed"]
    completed = [e for e in pending_events(repo.activities) if e.type == "kinerja.activity.completed.v1"][0]
    assert completed.data["activity"]["linked_indicator_ids"] == [indicator["id"]]
    assert [r["action"] for r in pending_audit(repo.activities)] == ["plan", "start", "complete"]
    with pytest.raises(Conflict):
        cancel_activity(officer, activity["id"], "too late", None)
    with pytest.raises(Conflict, match="while the activity is completed"):
        update_activity(officer, activity["id"], {"venue": "Aula"}, None)


def test_planning_refuses_what_it_cannot_stand_behind(repo, org, as_):
    with pytest.raises(Invalid) as inactive:
        planned(as_(), org["closed"])
    assert list(inactive.value.errors) == ["organiser_agency_id"]
    with pytest.raises(Invalid) as unknown:
        planned(as_(), org["unit01"], linked_indicator_ids=["nobody"])
    assert unknown.value.errors["linked_indicator_ids"] == ["no indicator nobody is known to this service"]
    with pytest.raises(Forbidden):
        planned(as_("operator", "unit02"), org["unit01"])
    assert repo.activities.count({}) == 0


def test_a_change_names_what_changed_and_if_match_the_version(repo, org, as_):
    activity = planned(as_(), org["unit01"])
    with pytest.raises(StaleVersion):
        update_activity(as_(), activity["id"], {"venue": "Aula"}, if_match=3)
    changed = update_activity(as_(), activity["id"], {"venue": "Aula Kantor Bupati"}, if_match=1)
    assert (changed["venue"], changed["version"]) == ("Aula Kantor Bupati", 2)
    assert [e.data.get("changed") for e in pending_events(repo.activities)][-1] == ["venue"]
    assert update_activity(as_(), activity["id"], {"venue": "Aula Kantor Bupati"}, None)["version"] == 2


def test_registration_is_all_or_none(repo, org, as_):
    activity = planned(as_(), org["unit01"])
    registered = register_participants(as_(), activity["id"], people(org, range(1, 23)), None)
    assert (registered["registered"], len(registered["by_agency"])) == (22, 22)
    with pytest.raises(Conflict) as twice:
        register_participants(as_(), activity["id"], [*people(org, range(3, 4)),
                                                      {"agency_id": org["unit05"], "name": "pimpinan  05"}], None)
    assert twice.value.extensions["duplicates"] == 2
    with pytest.raises(Invalid) as inactive:
        register_participants(as_(), activity["id"], [{"agency_id": org["closed"], "name": "Seseorang"}], None)
    assert list(inactive.value.errors) == ["participants.0.agency_id"]
    assert repo.activities.get(activity["id"])["registered"] == 22  # nothing of the refused lists
    one = registered["participants"][0]["id"]
    assert remove_participant(as_(), activity["id"], one, None)["registered"] == 21
    with pytest.raises(NotFound):
        remove_participant(as_(), activity["id"], one, None)


def test_attendance_is_marked_while_in_progress(repo, org, as_):
    activity = planned(as_(), org["unit01"])
    ids = [p["id"] for p in register_participants(as_(), activity["id"], people(org, range(1, 4)), None)["participants"]]
    with pytest.raises(Conflict, match="only while it is in progress"):
        mark_attendance(as_(), activity["id"], ids[:1], [], None)
    start_activity(as_(), activity["id"], None)
    marked = mark_attendance(as_(), activity["id"], ids[:2], ids[2:], None)
    assert (marked["attended"], [p["attended"] for p in marked["participants"]]) == (2, [True, True, False])
    with pytest.raises(Invalid):
        mark_attendance(as_(), activity["id"], ["nobody"], [], None)


def test_follow_ups_after_the_activity_owned_and_reported_by_their_owner(repo, org, as_):
    activity = planned(as_(), org["unit01"])
    with pytest.raises(Conflict):
        create_follow_up(as_(), activity["id"], {"action": "x", "owner_agency_id": org["unit03"], "due": date(2025, 3, 31)})
    start_activity(as_(), activity["id"], None)
    follow_up = create_follow_up(as_(), activity["id"], {"action": "Menyusun rencana aksi", "note": None,
                                                         "owner_agency_id": org["unit03"], "due": date(2025, 3, 31)})
    assert (follow_up["status"], follow_up["due"], follow_up["activity_year"]) == ("open", "2025-03-31", 2025)
    owner = as_("operator", "unit03", "owner")
    progressed = update_follow_up(owner, follow_up["id"], {"status": "in_progress", "note": "draf"}, None)
    done = update_follow_up(owner, follow_up["id"], {"status": "done"}, None)
    assert done["done_at"] is not None and [h["status"] for h in done["history"]] == ["open", "in_progress", "done"]
    assert progressed["version"] == 2 and events_of(repo, follow_up["id"]) == ["created", "updated", "done"]
    with pytest.raises(Conflict) as final:
        update_follow_up(owner, follow_up["id"], {"status": "open"}, None)
    assert final.value.extensions["allowed"] == []
    with pytest.raises(Forbidden):
        update_follow_up(as_("operator", "unit02"), follow_up["id"], {"note": "x"}, None)
