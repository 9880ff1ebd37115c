"""Change commitments on the in-memory database: made at an activity that took place, by the participant or an
operator of their agency or of the organiser, once per participant; milestones moving to done with evidence; overdue
milestones in the commitments' list and among the overdue follow-ups, by due date."""
from __future__ import annotations

from datetime import date

import pytest

from shared.errors import Conflict, Forbidden, NotFound
from services.reforms import queries
from services.reforms.commands.activities import complete_activity, start_activity
from services.reforms.commands.commitments import make_commitment, update_commitment, update_milestone
from services.reforms.commands.follow_ups import create_follow_up
from services.reforms.commands.participants import register_participants
from tests.support.fakes import pending_events
from tests.unit.reforms.conftest import planned

PAGE = {"page": 1, "page_size": 20}


def nip(n: int) -> str:
    return f"19800101200501{n:04d}"


@pytest.fixture
def fgd(as_, org):
    activity = planned(as_(), org["tanjabbar"])
    register_participants(as_(), activity["id"], [
        {"agency_id": org[f"unit{n:02d}"], "name": f"Pimpinan {n:02d}", "position": "Kepala", "nip": nip(n)}
        for n in range(1, 4)], None)
    return activity


def participant(repo, activity, n: int) -> str:
    return next(p["id"] for p in repo.activities.get(activity["id"])["participants"] if p["nip"] == nip(n))


def commit(ctx, repo, activity, n, milestones=((2025, 3, 31), (2025, 6, 30))):
    return make_commitment(ctx, activity["id"], {
        "participant_id": participant(repo, activity, n), "title": f"Aksi perubahan {n}", "description": None,
        "mentor": {"name": "Dr. Basseng, M.Ed", "position": "LAN", "agency_id": None},
        "milestones": [{"title": f"Tahap {i}", "due": date(*due)} for i, due in enumerate(milestones, 1)]})


def test_commitments_are_made_at_an_activity_that_took_place_once_per_participant(repo, as_, org, fgd):
    with pytest.raises(Conflict) as early:
        commit(as_(), repo, fgd, 1)
    assert early.value.kind == "invalid-state"
    start_activity(as_(), fgd["id"], None)
    made = commit(as_("viewer", "unit01", sub=nip(1)), repo, fgd, 1)  # the participant themself, any role
    assert (made["status"], made["next_due"], made["owner_agency_id"]) == ("planned", "2025-03-31", org["unit01"])
    assert made["participant_name"] == "Pimpinan 01" and len(made["milestones"]) == 2
    with pytest.raises(Conflict) as twice:
        commit(as_(), repo, fgd, 1)
    assert twice.value.kind == "duplicate"
    with pytest.raises(NotFound):
        make_commitment(as_(), fgd["id"], {"participant_id": "nobody", "title": "x", "milestones": []})
    [event] = [e for e in pending_events(repo.commitments) if e.type == "kinerja.commitment.made.v1"]
    assert nip(1) not in str(event.data) and "Pimpinan" not in str(event.data)


@pytest.mark.parametrize("caller, allowed", [
    (("operator", "unit02", None), True),  # the participant's agency
    (("operator", "tanjabbar", None), True),  # the organiser
    (("operator", "unit03", None), False),  # another unit
    (("viewer", "unit02", None), False),  # a reader of the agency
    (("viewer", "unit03", "participant 3"), False),  # another participant
])
def test_who_makes_a_commitment(repo, as_, org, fgd, caller, allowed):
    start_activity(as_(), fgd["id"], None)
    role, home, sub = caller
    ctx = as_(role, home, sub=nip(3) if sub else None)
    if allowed:
        assert commit(ctx, repo, fgd, 2)["version"] == 1
    else:
        with pytest.raises(Forbidden):
            commit(ctx, repo, fgd, 2)


def test_milestones_move_to_done_with_evidence_and_the_commitment_follows(repo, as_, org, fgd):
    start_activity(as_(), fgd["id"], None)
    made = commit(as_(), repo, fgd, 1)
    first, second = (m["id"] for m in made["milestones"])
    me = as_("viewer", "unit01", sub=nip(1))
    moved = update_milestone(me, made["id"], first, {"status": "in_progress"}, None)
    assert moved["status"] == "in_progress"
    done = update_milestone(me, made["id"], first, {"status": "done", "evidence": [
        {"title": "SK Bupati", "link": "https://jdih.tanjabbarkab.go.id/sk-1"}], "note": "disahkan"}, None)
    assert (done["milestones"][0]["status"], done["next_due"]) == ("done", "2025-06-30")
    assert done["milestones"][0]["done_at"] is not None
    with pytest.raises(Conflict) as final:
        update_milestone(me, made["id"], first, {"status": "planned"}, None)
    assert final.value.kind == "invalid-transition"
    with pytest.raises(Conflict):
        update_milestone(me, made["id"], first, {"due": date(2025, 12, 31)}, None)
    finished = update_milestone(me, made["id"], second, {"status": "done"}, None)
    assert (finished["status"], finished["next_due"]) == ("done", None)
    added = update_commitment(me, made["id"], {"add_milestones": [{"title": "Tahap 3", "due": date(2025, 9, 30)}]},
                              None)
    assert (added["status"], added["next_due"], len(added["milestones"])) == ("in_progress", "2025-09-30", 3)
    with pytest.raises(NotFound):
        update_milestone(me, made["id"], "nope", {"status": "done"}, None)
    with pytest.raises(Forbidden):
        update_milestone(as_("operator", "unit03"), made["id"], second, {"note": "x"}, None)


def test_overdue_milestones_are_listed_with_the_overdue_follow_ups_by_due_date(repo, as_, org, fgd):
    start_activity(as_(), fgd["id"], None)
    complete_activity(as_(), fgd["id"], "x", [], None)
    one = commit(as_(), repo, fgd, 1, milestones=((2025, 2, 28), (2025, 5, 31)))
    two = commit(as_(), repo, fgd, 2, milestones=((2025, 4, 30),))
    commit(as_(), repo, fgd, 3, milestones=((2025, 12, 31),))
    update_milestone(as_(), two["id"], two["milestones"][0]["id"], {"status": "done"}, None)
    follow_up = create_follow_up(as_(), fgd["id"], {"action": "Rencana aksi budaya kerja",
                                                    "owner_agency_id": org["unit02"], "due": date(2025, 3, 15)})
    listed = queries.list_follow_ups(as_.principal("viewer", "tanjabbar"), repo,
                                     {"overdue": True, "as_of": date(2025, 6, 1), **PAGE})
    assert [(i["type"], i["id"], i["due"]) for i in listed["items"]] == [
        ("milestone", one["milestones"][0]["id"], "2025-02-28"), ("follow_up", follow_up["id"], "2025-03-15"),
        ("milestone", one["milestones"][1]["id"], "2025-05-31")]
    assert listed["total"] == 3 and all(i["overdue"] for i in listed["items"])
    assert listed["items"][0]["action"] == "Aksi perubahan 1: Tahap 1"
    second_page = queries.list_follow_ups(as_.principal(), repo, {"overdue": True, "as_of": date(2025, 6, 1),
                                                                  "page": 2, "page_size": 2})
    assert [i["id"] for i in second_page["items"]] == [one["milestones"][1]["id"]]
    mine = queries.list_follow_ups(as_.principal("viewer", "unit02"), repo,
                                   {"overdue": True, "as_of": date(2025, 6, 1), **PAGE})
    assert [i["id"] for i in mine["items"]] == [follow_up["id"]]  # unit02's milestone is done
    late = queries.list_commitments(as_.principal("viewer", "tanjabbar"), repo,
                                    {"overdue": True, "as_of": date(2025, 6, 1), **PAGE})
    assert [c["id"] for c in late["items"]] == [one["id"]]
    assert [m["overdue"] for m in late["items"][0]["milestones"]] == [True, True]
    every = queries.list_commitments(as_.principal(), repo, {"as_of": date(2025, 6, 1), **PAGE})
    assert every["total"] == 3
