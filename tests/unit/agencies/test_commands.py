"""The agencies commands on the repository over an in-memory database: what each one writes, which events
and audit records it leaves, and every refusal as a domain error (no Flask, no HTTP, no server)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from shared.auth.tokens import Principal
from shared.errors import Conflict, Forbidden, Invalid, NotFound, StaleVersion, TooLarge
from services.agencies.commands.common import SYSTEM, AgencyContext
from services.agencies.commands.imports import MAX_ROWS, import_agencies, parse_csv
from services.agencies.commands.moves import move_agency
from services.agencies.commands.paths import repair_dirty_subtrees
from services.agencies.commands.registry import (deactivate_agency, reactivate_agency, register_agency,
                                                 update_agency)
from services.agencies.service import SERVICE
from tests.support.fakes import fake_repository, pending_audit, pending_events

ADMIN = Principal("admin@test", "admin", "*")


@pytest.fixture
def agencies():
    return fake_repository(SERVICE)


def ctx(agencies, principal=ADMIN) -> AgencyContext:
    return AgencyContext(principal=principal, agencies=agencies)


def register(agencies, code, type_, parent=None, principal=ADMIN):
    return register_agency(ctx(agencies, principal), {"code": code, "name": f"{type_} {code}", "type": type_,
                                                      "parent_id": parent and parent["id"]})


def events(agencies, agency_id=None) -> list[tuple[str, str, int]]:
    """The events written, by agency and sequence."""
    return [(e.type.split(".")[2], e.subject, e.sequence) for e in pending_events(agencies.store)
            if agency_id is None or e.subject == agency_id]


def audit(agencies) -> list[dict]:
    return pending_audit(agencies.store)


@pytest.fixture
def jambi(agencies):
    province = register(agencies, "15", "province")
    regency = register(agencies, "1506", "regency", province)
    unit = register(agencies, "1506.01", "work_unit", regency)
    return {"province": province, "regency": regency, "unit": unit}


def test_register_writes_version_1_one_event_and_one_audit_record(agencies):
    province = register(agencies, "15", "province")
    assert province["version"] == 1 and province["path"] == [] and province["status"] == "active"
    assert events(agencies) == [("registered", province["id"], 1)]
    [record] = audit(agencies)
    assert (record["actor"], record["action"], record["entity_id"], record["before"]) == ("admin@test", "register",
                                                                                         province["id"], None)


def test_a_child_path_is_its_parents_path_plus_its_parent(jambi):
    assert jambi["unit"]["path"] == [jambi["province"]["id"], jambi["regency"]["id"]]


def test_register_refusals(agencies, jambi):
    with pytest.raises(Conflict) as duplicate:
        register(agencies, "1506", "regency", jambi["province"])
    assert duplicate.value.kind == "duplicate" and "1506" in duplicate.value.detail
    with pytest.raises(Invalid) as wrong_type:
        register(agencies, "X", "regency", jambi["unit"])
    assert list(wrong_type.value.errors) == ["parent_id"]
    with pytest.raises(Invalid):
        register_agency(ctx(agencies), {"code": "Y", "name": "y", "type": "work_unit", "parent_id": "nobody"})
    operator = Principal("op", "operator", jambi["regency"]["id"])
    with pytest.raises(Forbidden):
        register(agencies, "Z", "province", principal=operator)  # a root: admins only
    with pytest.raises(Forbidden):
        register(agencies, "Z", "regency", jambi["province"], principal=operator)  # above the scope
    assert len(events(agencies)) == 3  # refusals wrote nothing


def test_update_needs_the_current_version_and_records_what_changed(agencies, jambi):
    unit = jambi["unit"]
    with pytest.raises(StaleVersion):
        update_agency(ctx(agencies), unit["id"], {"name": "Dinas Pendidikan"}, if_match=7)
    updated = update_agency(ctx(agencies), unit["id"], {"name": "Dinas Pendidikan", "reason": "Perda 3/2026"}, 1)
    assert updated["version"] == 2 and updated["name"] == "Dinas Pendidikan"
    event = [e for e in pending_events(agencies.store)
                                                 if e.subject == unit["id"]][-1]
    assert (event.type, event.sequence, event.data["changed"]) == ("kinerja.agency.updated.v1", 2, ["name"])
    assert audit(agencies)[-1]["reason"] == "Perda 3/2026"
    assert update_agency(ctx(agencies), unit["id"], {"name": "Dinas Pendidikan"}, 2)["version"] == 2  # no change
    with pytest.raises(NotFound):
        update_agency(ctx(agencies), "nobody", {"name": "x"}, None)


def test_deactivate_is_refused_while_active_children_exist(agencies, jambi):
    with pytest.raises(Conflict) as refused:
        deactivate_agency(ctx(agencies), jambi["regency"]["id"], "merged", None)
    assert refused.value.kind == "structure-conflict" and refused.value.extensions["active_children"] == [
        jambi["unit"]["id"]]
    assert deactivate_agency(ctx(agencies), jambi["unit"]["id"], "merged", None)["status"] == "inactive"
    assert deactivate_agency(ctx(agencies), jambi["regency"]["id"], "merged", None)["status"] == "inactive"
    with pytest.raises(Conflict):
        reactivate_agency(ctx(agencies), jambi["unit"]["id"], None, None)  # its parent is inactive
    reactivate_agency(ctx(agencies), jambi["regency"]["id"], None, None)
    assert reactivate_agency(ctx(agencies), jambi["unit"]["id"], None, None)["status"] == "active"


def test_a_move_rewrites_the_subtree_with_one_event_per_descendant(agencies, jambi):
    riau = register(agencies, "14", "province")
    moved = move_agency(ctx(agencies), jambi["regency"]["id"], riau["id"], "boundary change", None)
    assert moved["path"] == [riau["id"]] and moved["parent_id"] == riau["id"]
    assert agencies.get(jambi["unit"]["id"])["path"] == [riau["id"], jambi["regency"]["id"]]
    assert events(agencies, jambi["regency"]["id"])[-1] == ("moved", jambi["regency"]["id"], 2)
    assert events(agencies, jambi["unit"]["id"])[-1] == ("path_changed", jambi["unit"]["id"], 2)
    assert "subtree_dirty" not in agencies.get(jambi["regency"]["id"], internal=True)


def test_moves_that_make_cycles_or_break_type_rules_are_conflicts(agencies, jambi):
    sub = register(agencies, "1506.01.1", "sub_unit", jambi["unit"])
    subsub = register(agencies, "1506.01.1.1", "sub_unit", sub)
    with pytest.raises(Conflict, match="cycle"):
        move_agency(ctx(agencies), sub["id"], subsub["id"], None, None)
    with pytest.raises(Conflict):
        move_agency(ctx(agencies), jambi["unit"]["id"], sub["id"], None, None)  # a work unit under a sub-unit
    with pytest.raises(Forbidden):
        move_agency(ctx(agencies, Principal("op", "operator", jambi["unit"]["id"])), sub["id"], None, None, None)


def test_the_repair_finishes_a_move_a_crash_left_half_done(agencies, jambi):
    riau = register(agencies, "14", "province")
    regency = agencies.get(jambi["regency"]["id"])
    agencies.store.collection.update_one({"_id": regency["id"]}, {"$set": {  # the crash: children not rewritten
        "parent_id": riau["id"], "path": [riau["id"]], "subtree_dirty": True,
        "updated_at": regency["updated_at"] - timedelta(minutes=5)}})
    assert repair_dirty_subtrees(AgencyContext(SYSTEM, agencies)) == 1
    assert agencies.get(jambi["unit"]["id"])["path"] == [riau["id"], jambi["regency"]["id"]]
    assert repair_dirty_subtrees(AgencyContext(SYSTEM, agencies)) == 0


def test_import_is_all_or_nothing_then_idempotent(agencies):
    good = "code,name,type,parent_code\n1506.02,Dinas Kesehatan,work_unit,1506\n1506,Pemkab,regency,15\n15,Jambi,province,\n"
    bad = good + "1506.03,,work_unit,1506\n1506.04,Dinas X,work_unit,9999\n"
    with pytest.raises(Invalid) as refused:
        import_agencies(ctx(agencies), parse_csv(bad), dry_run=False)
    assert [row["line"] for row in refused.value.extensions["rows"]] == [5, 6]
    assert events(agencies) == []
    report = import_agencies(ctx(agencies), parse_csv(good), dry_run=False)
    assert (report["created"], report["updated"], report["unchanged"]) == (3, 0, 0)
    again = import_agencies(ctx(agencies), parse_csv(good), dry_run=False)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    # the report names every agency by id, the ones that existed already too
    assert {row["code"]: row["id"] for row in again["rows"]} == {row["code"]: row["id"] for row in report["rows"]}
    assert all(row["id"] for row in again["rows"])
    assert len(events(agencies)) == 3


def test_import_refuses_more_rows_than_one_import_takes(agencies):
    with pytest.raises(TooLarge):
        import_agencies(ctx(agencies), [(i, {}) for i in range(MAX_ROWS + 1)], dry_run=True)


def test_import_refuses_control_characters_and_nul_in_csv(agencies):
    with pytest.raises(Invalid):
        import_agencies(ctx(agencies), parse_csv("code,name,type\n15,Jam\x00bi,province\n"), dry_run=True)
