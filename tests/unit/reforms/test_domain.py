"""The rules of reform activities: lifecycle, participants, schedule and the summary's roll-up."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest

from shared.errors import Conflict, Invalid
from services.reforms.domain import participants as rules
from services.reforms.domain.lifecycle import ACTIVITY_MOVES, follow_up_status, next_status, require_status
from services.reforms.domain.schedule import local, schedule
from services.reforms.domain.summary import own_counters, render, roll_up

WIB = timezone(timedelta(hours=7))
AT = datetime(2025, 1, 30, 8, tzinfo=WIB)


@pytest.mark.parametrize("current, verb, expected", [
    ("planned", "start", "in_progress"), ("planned", "cancel", "cancelled"),
    ("in_progress", "complete", "completed"), ("in_progress", "cancel", "cancelled")])
def test_the_allowed_moves(current, verb, expected):
    assert next_status(current, verb) == expected


ILLEGAL = [(status, verb) for status in ACTIVITY_MOVES for verb in ("start", "complete", "cancel")
           if verb not in ACTIVITY_MOVES[status]]


@pytest.mark.parametrize("current, verb", ILLEGAL)
def test_every_other_move_is_refused_saying_what_is_allowed(current, verb):
    with pytest.raises(Conflict) as refused:
        next_status(current, verb)
    assert refused.value.kind == "invalid-transition"
    assert refused.value.extensions["allowed"] == sorted(ACTIVITY_MOVES[current])
    assert f"allowed from {current}" in refused.value.detail


def test_the_illegal_moves_are_these_eight():
    assert sorted(ILLEGAL) == [("cancelled", "cancel"), ("cancelled", "complete"), ("cancelled", "start"),
                               ("completed", "cancel"), ("completed", "complete"), ("completed", "start"),
                               ("in_progress", "start"), ("planned", "complete")]


def test_a_state_check_names_the_states_that_allow_it():
    require_status("planned", ("planned", "in_progress"), "register participants")
    with pytest.raises(Conflict) as refused:
        require_status("completed", ("planned", "in_progress"), "register participants")
    assert refused.value.detail == ("Cannot register participants while the activity is completed; only while it "
                                    "is planned or in progress.")


def test_follow_up_progress():
    assert follow_up_status("open", "in_progress") == "in_progress"
    assert follow_up_status("in_progress", "open") == "open"
    assert follow_up_status("in_progress", "done") == "done"
    with pytest.raises(Conflict) as refused:
        follow_up_status("done", "open")
    assert "nothing (it is final)" in refused.value.detail


def person(name, agency="a1", nip=None, position=None):
    return {"agency_id": agency, "name": name, "nip": nip, "position": position}


def test_registration_refuses_the_same_person_by_name_case_accents_and_spaces():
    current = rules.register([], [person("Dr. Basseng, M.Ed")], ["p1"], AT)
    for same in ("dr.  basseng, m.ed", "DR. BASSENG, M.ED ", "Dr. Bässeng, M.Ed"):
        with pytest.raises(Conflict) as refused:
            rules.register(current, [person(same)], ["p2"], AT)
        assert refused.value.kind == "duplicate"
    assert rules.register(current, [person("Dr. Basseng, M.Ed", agency="a2")], ["p2"], AT)[0]["id"] == "p2"


def test_registration_refuses_the_same_nip_under_another_name_and_duplicates_within_one_request():
    current = rules.register([], [person("Haris Faozan", nip="197001012000031001")], ["p1"], AT)
    with pytest.raises(Conflict):
        rules.register(current, [person("H. Faozan", agency="a9", nip="197001012000031001")], ["p2"], AT)
    with pytest.raises(Conflict) as refused:
        rules.register([], [person("Ayat"), person("Budi"), person("ayat")], ["p1", "p2", "p3"], AT)
    assert refused.value.extensions["duplicates"] == 1


def test_attendance_and_tallies():
    people = rules.register([], [person("A", "x"), person("B", "x"), person("C", "y")], ["p1", "p2", "p3"], AT)
    marked = rules.mark_attendance(people, ["p1", "p3"], ["p2"])
    assert [p["attended"] for p in marked] == [True, False, True]
    assert rules.tallies(marked) == {
        "registered": 3, "attended": 2, "participant_agency_ids": ["x", "y"], "attended_agency_ids": ["x", "y"],
        "by_agency": [{"agency_id": "x", "registered": 2, "attended": 1},
                      {"agency_id": "y", "registered": 1, "attended": 1}]}
    again = rules.mark_attendance(marked, [], ["p1"])  # a correction, the others as they were
    assert [p["attended"] for p in again] == [False, False, True]


def test_attendance_refuses_strangers_and_contradictions():
    people = rules.register([], [person("A")], ["p1"], AT)
    with pytest.raises(Invalid) as refused:
        rules.mark_attendance(people, ["p1", "zz"], ["p1"])
    assert set(refused.value.errors) == {"participant_ids", "absent"}


def test_schedule_keeps_the_offset_and_the_local_year():
    new_year = datetime(2025, 1, 1, 6, tzinfo=WIB)  # still 2024 in UTC
    stored = schedule(new_year, new_year + timedelta(hours=8))
    assert stored["year"] == 2025 and stored["utc_offset_minutes"] == 420
    assert stored["start"] == datetime(2024, 12, 31, 23, tzinfo=timezone.utc)
    assert local(stored["start"], 420).isoformat() == "2025-01-01T06:00:00+07:00"


@pytest.mark.parametrize("end, field", [(AT, "end"), (AT - timedelta(minutes=1), "end"),
                                        (AT + timedelta(days=400), "end")])
def test_schedule_refuses_an_end_not_after_start_or_too_far(end, field):
    with pytest.raises(Invalid) as refused:
        schedule(AT, end)
    assert set(refused.value.errors) == {field}


TREE = [{"id": "reg", "path": []}, {"id": "u1", "path": ["reg"]}, {"id": "u2", "path": ["reg"]},
        {"id": "sub", "path": ["reg", "u1"]}]


def activity(organiser, status, area="manajemen_perubahan", registered=0, attended=0, planned=None):
    return {"organiser_agency_id": organiser, "area": area, "status": status, "registered": registered,
            "attended": attended, "planned_participants": planned}


def test_the_summary_counts_and_rolls_up():
    activities = [activity("reg", "completed", registered=22, attended=21, planned=22),
                  activity("u1", "planned", "penguatan_akuntabilitas", registered=5, planned=10),
                  activity("sub", "cancelled", registered=7), activity("elsewhere", "completed", registered=3)]
    participation = [{"status": "completed", "by_agency": [{"agency_id": "u1", "registered": 1, "attended": 1},
                                                           {"agency_id": "u2", "registered": 2, "attended": 1},
                                                           {"agency_id": "outside", "registered": 9, "attended": 9}]},
                     {"status": "cancelled", "by_agency": [{"agency_id": "u1", "registered": 4, "attended": 0}]}]
    follow_ups = [{"owner_agency_id": "u1", "status": "open", "due": "2025-03-01"},
                  {"owner_agency_id": "u1", "status": "done", "due": "2025-02-01"},
                  {"owner_agency_id": "sub", "status": "in_progress", "due": "2025-06-30"}]
    own = own_counters([a["id"] for a in TREE], activities, participation, follow_ups, date(2025, 6, 1))
    rolled = roll_up(TREE, own)
    regency = render(rolled["reg"])
    assert regency["activities"]["total"] == 3
    assert regency["activities"]["by_status"] == {"planned": 1, "in_progress": 0, "completed": 1, "cancelled": 1}
    assert regency["participants"] == {"planned": 32, "registered": 27, "attended": 21, "registered_in_completed": 22,
                                       "attended_in_completed": 21, "attendance_rate": 95.45}
    assert regency["participation"] == {"registered": 3, "attended": 2}
    assert regency["follow_ups"] == {"total": 3, "open": 1, "in_progress": 1, "done": 1, "overdue": 1}
    area = {row["code"]: row for row in regency["activities"]["by_area"]}
    assert area["manajemen_perubahan"]["total"] == 2 and area["penguatan_akuntabilitas"]["planned"] == 1
    assert render(own["reg"])["activities"]["total"] == 1
    # The roll-up is exactly own + the children's roll-ups, counter by counter.
    assert rolled["reg"] == own["reg"] + rolled["u1"] + rolled["u2"]
    assert rolled["u1"] == own["u1"] + own["sub"]


def test_an_empty_year_renders_zeros_and_no_rate():
    figures = render(Counter())
    assert figures["activities"]["total"] == 0 and figures["participants"]["attendance_rate"] is None
    assert len(figures["activities"]["by_area"]) == 12
