"""Registering, moving or reactivating an agency under a parent, and deactivating that parent, cannot both
succeed (AgencyRepository.placing_under): the interleavings that broke it, replayed step by step."""
from __future__ import annotations

import pytest

from shared.auth.tokens import Principal
from shared.errors import Conflict, Invalid, Unavailable
from services.agencies.commands.common import AgencyContext
from services.agencies.commands.moves import move_agency
from services.agencies.commands.registry import deactivate_agency, reactivate_agency, register_agency
from services.agencies.service import SERVICE
from tests.support.fakes import fake_repository

ADMIN = Principal("admin@test", "admin", "*")


@pytest.fixture
def agencies():
    return fake_repository(SERVICE)


def ctx(agencies) -> AgencyContext:
    return AgencyContext(ADMIN, agencies)


def register(agencies, code, type_, parent=None):
    return register_agency(ctx(agencies), {"code": code, "name": code, "type": type_,
                                           "parent_id": parent and parent["id"]})


@pytest.fixture
def regency(agencies):
    return register(agencies, "1506", "regency", register(agencies, "15", "province"))


def active_children(agencies, parent):
    return [a["code"] for a in agencies.store.find({"parent_id": parent["id"], "status": "active"})]


def test_a_registration_between_the_children_count_and_the_write_makes_the_deactivation_look_again(
        agencies, regency, monkeypatch):
    count = agencies.active_children
    registered = []

    def count_then_a_registration_lands(agency_id, limit):
        found = count(agency_id, limit)
        if not registered:  # the registration happens right after the deactivation counted no child
            registered.append(register(agencies, "1506.01", "work_unit", regency))
        return found
    monkeypatch.setattr(agencies, "active_children", count_then_a_registration_lands)
    with pytest.raises(Conflict, match="still has active children"):
        deactivate_agency(ctx(agencies), regency["id"], "merged", None)
    assert agencies.get(regency["id"])["status"] == "active"
    assert active_children(agencies, regency) == ["1506.01"]


def test_a_deactivation_while_a_registration_is_in_flight_waits_and_is_not_written(agencies, regency, monkeypatch):
    create = agencies.store.create
    outcome = []

    def deactivate_before_the_insert(change):
        try:
            deactivate_agency(ctx(agencies), regency["id"], "merged", None)
        except Unavailable as err:  # it waited for the placement, which cannot end while we are inside it
            outcome.append(err)
        return create(change)
    monkeypatch.setattr(agencies.store, "create", deactivate_before_the_insert)
    child = register(agencies, "1506.01", "work_unit", regency)
    assert len(outcome) == 1 and agencies.get(regency["id"])["status"] == "active"
    assert child["status"] == "active" and child["path"] == [regency["path"][0], regency["id"]]


def test_a_registration_after_the_deactivation_is_refused(agencies, regency):
    deactivate_agency(ctx(agencies), regency["id"], "merged", None)
    with pytest.raises(Invalid) as refused:
        register(agencies, "1506.01", "work_unit", regency)
    assert refused.value.errors == {"parent_id": ["parent 1506 is inactive"]}
    assert active_children(agencies, regency) == []


def test_a_move_under_a_parent_being_deactivated_is_refused_or_refuses_it(agencies, regency, monkeypatch):
    other = register(agencies, "1507", "regency", agencies.get(regency["path"][0]))
    unit = register(agencies, "1507.01", "work_unit", other)
    count = agencies.active_children
    moved = []

    def count_then_a_move_lands(agency_id, limit):
        found = count(agency_id, limit)
        if not moved:
            moved.append(move_agency(ctx(agencies), unit["id"], regency["id"], "reorganisation", None))
        return found
    monkeypatch.setattr(agencies, "active_children", count_then_a_move_lands)
    with pytest.raises(Conflict, match="still has active children"):
        deactivate_agency(ctx(agencies), regency["id"], "merged", None)
    assert active_children(agencies, regency) == ["1507.01"]


def test_a_reactivation_under_a_parent_being_deactivated_cannot_both_succeed(agencies, regency, monkeypatch):
    unit = register(agencies, "1506.01", "work_unit", regency)
    deactivate_agency(ctx(agencies), unit["id"], "paused", None)
    count = agencies.active_children
    done = []

    def count_then_a_reactivation_lands(agency_id, limit):
        found = count(agency_id, limit)
        if agency_id == regency["id"] and not done:
            done.append(reactivate_agency(ctx(agencies), unit["id"], "resumed", None))
        return found
    monkeypatch.setattr(agencies, "active_children", count_then_a_reactivation_lands)
    with pytest.raises(Conflict, match="still has active children"):
        deactivate_agency(ctx(agencies), regency["id"], "merged", None)
    assert agencies.get(regency["id"])["status"] == "active" and active_children(agencies, regency) == ["1506.01"]


def test_a_stale_marker_of_a_crashed_request_does_not_block_a_deactivation(agencies, regency):
    from datetime import timedelta

    from shared.clock import now

    agencies.store.collection.update_one({"_id": regency["id"]}, {"$set": {
        "placing.crashed": now() - timedelta(minutes=5)}})
    assert deactivate_agency(ctx(agencies), regency["id"], "merged", None)["status"] == "inactive"
    assert "placing" not in agencies.get(regency["id"])  # internal: never shown
    assert agencies.get(regency["id"], internal=True)["placing"] == {}  # and the stale marker is gone


def test_a_deactivation_during_a_long_placement_is_a_503_to_retry(agencies, regency):
    from datetime import timedelta

    from shared.clock import now

    agencies.store.collection.update_one({"_id": regency["id"]}, {"$set": {
        "placing.an-import": now() - timedelta(seconds=10)}})  # fresh (refreshed per chunk), but long under way
    with pytest.raises(Unavailable, match="an import"):
        deactivate_agency(ctx(agencies), regency["id"], "merged", None)


def test_a_caller_who_may_not_write_there_marks_nothing(agencies, regency):
    from shared.errors import Forbidden

    before = agencies.get(regency["id"], internal=True).get("placements")
    for principal in (Principal("outsider", "operator", agencies.get(regency["path"][0])["id"] and "elsewhere"),
                      Principal("viewer", "viewer", regency["id"])):
        with pytest.raises(Forbidden):
            register_agency(AgencyContext(principal, agencies), {"code": "X", "name": "x", "type": "work_unit",
                                                                  "parent_id": regency["id"]})
    assert agencies.get(regency["id"], internal=True).get("placements") == before
    assert not agencies.get(regency["id"], internal=True).get("placing")


def test_an_import_keeps_its_anchors_marker_fresh_chunk_after_chunk_and_no_deactivation_gets_through(
        agencies, regency, monkeypatch):
    from services.agencies.commands import imports

    monkeypatch.setattr(imports, "INSERT_CHUNK", 2)
    create_many, seen = agencies.store.create_many, []

    def chunk_with_a_deactivation_attempt(changes):
        anchor = agencies.get(regency["id"], internal=True)
        seen.append((list(anchor["placing"].values()), anchor["placements"]))
        with pytest.raises(Unavailable):  # the import is under way: wait, then retry
            deactivate_agency(ctx(agencies), regency["id"], "merged", None)
        return create_many(changes)
    monkeypatch.setattr(agencies.store, "create_many", chunk_with_a_deactivation_attempt)
    rows = "code,name,type,parent_code\n" + "".join(f"1506.{n:02d},Dinas {n},work_unit,1506\n" for n in range(1, 6))
    report = imports.import_agencies(ctx(agencies), imports.parse_csv(rows), dry_run=False)
    assert report["created"] == 5 and len(seen) == 3  # three chunks of at most two
    assert all(len(markers) == 1 for markers, _ in seen)  # the import's one marker, there before every chunk
    assert [at for [at], _ in seen] == sorted(at for [at], _ in seen)  # set again before each chunk
    assert [count for _, count in seen] == [seen[0][1] + n for n in range(3)]  # each refresh counts a placement
    after = agencies.get(regency["id"], internal=True)
    assert after["status"] == "active" and after["placing"] == {}
    assert len(active_children(agencies, regency)) == 5


def test_a_reactivation_whose_agency_moved_meanwhile_marks_the_new_parent(agencies, regency, monkeypatch):
    other = register(agencies, "1507", "regency", agencies.get(regency["path"][0]))
    unit = register(agencies, "1506.01", "work_unit", regency)
    deactivate_agency(ctx(agencies), unit["id"], "paused", None)
    placing_under, marked = agencies.placing_under, []

    def moved_first(parent_id, marker, within=None):
        marked.append(parent_id)
        if len(marked) == 1:  # the agency moves under `other` while the reactivation marks its old parent
            move_agency(ctx(agencies), unit["id"], other["id"], "reorganisation", None)
        return placing_under(parent_id, marker, within)
    monkeypatch.setattr(agencies, "placing_under", moved_first)
    reactivated = reactivate_agency(ctx(agencies), unit["id"], "resumed", None)
    # the old parent, the move's own marker on the new one, then the reactivation again on the new one
    assert marked == [regency["id"], other["id"], other["id"]] and reactivated["parent_id"] == other["id"]
