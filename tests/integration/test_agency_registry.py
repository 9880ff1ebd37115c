"""The full registry over real MongoDB: updates, moves, status changes, tree reads, and the events
each write records (in order) or does not record (refusals)."""
from __future__ import annotations

import pytest

from services.agencies.adapters.documents import Agency
from services.agencies.commands.common import SYSTEM, AgencyContext
from services.agencies.commands.paths import repair_dirty_subtrees, rewrite_subtree_paths
from tests.conftest import auth_header
from tests.support.kafka_tools import unique
from tests.support.db import coll

PROBLEM = "application/problem+json"


def register(client, type_, parent=None, **extra):
    body = {"code": unique(type_.upper()), "name": f"{type_} {unique('n')}", "type": type_,
            **({"parent_id": parent} if parent else {}), **extra}
    response = client.post("/api/v1/agencies", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def events_of(agency_id) -> list[tuple[str, int]]:
    """(type, sequence) of the events an agency has recorded and not yet relayed (no relay runs here)."""
    doc = coll(Agency).find_one({"_id": agency_id}, {"outbox": 1})
    return [(e["event"]["type"].split(".")[2], e["event"]["sequence"]) for e in doc["outbox"]]


@pytest.fixture
def six_levels(client):
    """province > regency > work_unit > sub_unit > sub_unit > sub_unit, plus a second province."""
    province = register(client, "province")
    regency = register(client, "regency", province["id"])
    unit = register(client, "work_unit", regency["id"])
    sub1 = register(client, "sub_unit", unit["id"])
    sub2 = register(client, "sub_unit", sub1["id"])
    sub3 = register(client, "sub_unit", sub2["id"])
    other = register(client, "province")
    return {"province": province, "regency": regency, "unit": unit, "sub1": sub1, "sub2": sub2, "sub3": sub3,
            "other": other}


def test_update_needs_if_match_and_refuses_a_stale_one(client):
    agency = register(client, "province")
    url = f"/api/v1/agencies/{agency['id']}"
    assert client.patch(url, json={"name": "Provinsi Jambi"}).status_code == 428
    updated = client.patch(url, json={"name": "Provinsi Jambi", "reason": "official name"}, headers={"If-Match": '"1"'})
    assert updated.status_code == 200 and updated.headers["ETag"] == '"2"'
    assert updated.get_json()["name"] == "Provinsi Jambi"
    stale = client.patch(url, json={"name": "Another"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412 and stale.mimetype == PROBLEM
    assert client.patch(url, json={"name": "x"}, headers={"If-Match": "yesterday"}).status_code == 412  # RFC 9110
    any_version = client.patch(url, json={"short_name": "Jambi"}, headers={"If-Match": "*"})
    assert any_version.status_code == 200 and any_version.headers["ETag"] == '"3"'
    assert client.get(url).get_json()["name"] == "Provinsi Jambi"
    assert events_of(agency["id"]) == [("registered", 1), ("updated", 2), ("updated", 3)]
    doc = coll(Agency).find_one({"_id": agency["id"]})
    assert doc["outbox"][1]["event"]["data"]["changed"] == ["name"]


def test_an_update_that_changes_nothing_records_nothing(client):
    agency = register(client, "province")
    response = client.patch(f"/api/v1/agencies/{agency['id']}", json={"name": agency["name"]},
                            headers={"If-Match": '"1"'})
    assert response.status_code == 200 and response.headers["ETag"] == '"1"'
    assert events_of(agency["id"]) == [("registered", 1)]


def test_code_type_and_parent_cannot_be_patched(client):
    agency = register(client, "province")
    response = client.patch(f"/api/v1/agencies/{agency['id']}", json={"code": "NEW", "parent_id": "x"},
                            headers={"If-Match": '"1"'})
    assert response.status_code == 422
    assert {"code", "parent_id"} <= set(response.get_json()["errors"])


def test_tree_reads_on_six_levels(client, six_levels):
    t = six_levels
    ancestors = client.get(f"/api/v1/agencies/{t['sub3']['id']}/ancestors").get_json()
    assert [a["id"] for a in ancestors] == [t[k]["id"] for k in ("province", "regency", "unit", "sub1", "sub2")]
    descendants = client.get(f"/api/v1/agencies/{t['regency']['id']}/descendants").get_json()["items"]
    assert [(d["id"], d["depth"]) for d in sorted(descendants, key=lambda d: d["depth"])] == [
        (t["unit"]["id"], 1), (t["sub1"]["id"], 2), (t["sub2"]["id"], 3), (t["sub3"]["id"], 4)]
    limited = client.get(f"/api/v1/agencies/{t['regency']['id']}/descendants?max_depth=2").get_json()["items"]
    assert {d["id"] for d in limited} == {t["unit"]["id"], t["sub1"]["id"]}
    children = client.get(f"/api/v1/agencies/{t['province']['id']}/children").get_json()["items"]
    assert [c["id"] for c in children] == [t["regency"]["id"]]
    tree = client.get(f"/api/v1/agencies/{t['province']['id']}/tree").get_json()
    chain, node = [], tree
    while node["children"]:
        [node] = node["children"]
        chain.append(node["id"])
    assert chain == [t[k]["id"] for k in ("regency", "unit", "sub1", "sub2", "sub3")]
    shallow = client.get(f"/api/v1/agencies/{t['province']['id']}/tree?max_depth=1").get_json()
    assert [c["id"] for c in shallow["children"]] == [t["regency"]["id"]] and shallow["children"][0]["children"] == []


def test_moving_a_regency_rewrites_every_descendant_path_with_one_event_each(client, six_levels):
    t = six_levels
    response = client.post(f"/api/v1/agencies/{t['regency']['id']}/move",
                           json={"parent_id": t["other"]["id"], "reason": "boundary change"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["path"] == [t["other"]["id"]] and response.get_json()["parent_id"] == t["other"]["id"]
    expected_prefix = [t["other"]["id"], t["regency"]["id"]]
    for depth, key in enumerate(("unit", "sub1", "sub2", "sub3")):
        doc = coll(Agency).find_one({"_id": t[key]["id"]})
        assert doc["path"] == expected_prefix + [t[k]["id"] for k in ("unit", "sub1", "sub2")][:depth]
        assert events_of(t[key]["id"])[-1] == ("path_changed", 2)
        assert doc["outbox"][-1]["event"]["data"]["agency"]["path"] == doc["path"]
    assert events_of(t["regency"]["id"]) == [("registered", 1), ("moved", 2)]
    assert "subtree_dirty" not in coll(Agency).find_one({"_id": t["regency"]["id"]})
    assert client.get(f"/api/v1/agencies/{t['province']['id']}/descendants").get_json()["items"] == []


@pytest.mark.parametrize("target", ["itself", "descendant"])
def test_a_move_that_makes_a_cycle_is_409_and_records_nothing(client, six_levels, target):
    t = six_levels
    new_parent = t["unit"]["id"] if target == "itself" else t["sub2"]["id"]
    before = {k: events_of(v["id"]) for k, v in t.items()}
    response = client.post(f"/api/v1/agencies/{t['unit']['id']}/move", json={"parent_id": new_parent})
    assert response.status_code == 409 and response.mimetype == PROBLEM
    assert "cycle" in response.get_json()["detail"]
    assert {k: events_of(v["id"]) for k, v in t.items()} == before


def test_moves_under_inactive_parents_or_against_type_rules_are_409(client):
    province = register(client, "province")
    regency_a, regency_b = register(client, "regency", province["id"]), register(client, "regency", province["id"])
    unit = register(client, "work_unit", regency_a["id"])
    assert client.post(f"/api/v1/agencies/{regency_b['id']}/deactivate", json={}).status_code == 200
    inactive = client.post(f"/api/v1/agencies/{unit['id']}/move", json={"parent_id": regency_b["id"]})
    assert inactive.status_code == 409 and "inactive" in inactive.get_json()["detail"]
    wrong_type = client.post(f"/api/v1/agencies/{regency_a['id']}/move", json={"parent_id": unit["id"]})
    assert wrong_type.status_code == 409
    assert events_of(unit["id"]) == [("registered", 1)]


def test_deactivate_with_active_children_is_409_naming_them(client):
    province = register(client, "province")
    regency = register(client, "regency", province["id"])
    response = client.post(f"/api/v1/agencies/{province['id']}/deactivate", json={"reason": "test"})
    assert response.status_code == 409
    problem = response.get_json()
    assert regency["code"] in problem["detail"] and problem["active_children"] == [regency["id"]]
    assert events_of(province["id"]) == [("registered", 1)]


def test_deactivate_then_reactivate_records_both_and_keeps_history(client):
    province = register(client, "province")
    regency = register(client, "regency", province["id"])
    url = f"/api/v1/agencies/{regency['id']}"
    assert client.post(f"{url}/deactivate", json={"reason": "merged"}).get_json()["status"] == "inactive"
    assert client.post(f"{url}/deactivate", json={}).status_code == 200  # already inactive: no new event
    refused = client.post("/api/v1/agencies", json={"code": unique("U"), "name": "x", "type": "work_unit",
                                                    "parent_id": regency["id"]})
    assert refused.status_code == 422  # nothing new under an inactive agency
    assert client.post(f"{url}/reactivate", json={"reason": "split again"}).get_json()["status"] == "active"
    assert events_of(regency["id"]) == [("registered", 1), ("deactivated", 2), ("reactivated", 3)]
    assert client.get(url).get_json()["version"] == 3


def test_reactivating_under_an_inactive_parent_is_409(client):
    province = register(client, "province")
    regency = register(client, "regency", province["id"])
    client.post(f"/api/v1/agencies/{regency['id']}/deactivate", json={})
    client.post(f"/api/v1/agencies/{province['id']}/deactivate", json={})
    response = client.post(f"/api/v1/agencies/{regency['id']}/reactivate", json={})
    assert response.status_code == 409


def test_list_filters_searches_sorts_and_paginates(client):
    province = register(client, "province", name="Provinsi Jambi Search")
    marker = unique("dinas")
    units = [register(client, "regency", province["id"], name=f"Kabupaten {marker} {i}") for i in range(5)]
    page = client.get(f"/api/v1/agencies?q={marker.upper()}&page_size=2&sort=-name").get_json()
    assert page["total"] == 5 and len(page["items"]) == 2
    assert [i["name"] for i in page["items"]] == sorted((u["name"] for u in units), reverse=True)[:2]
    children = client.get(f"/api/v1/agencies?parent_id={province['id']}&type=regency&page_size=100").get_json()
    assert {i["id"] for i in children["items"]} == {u["id"] for u in units}
    assert client.get("/api/v1/agencies?q=.*&page_size=1").status_code == 200  # a regex is searched as text
    assert client.get("/api/v1/agencies?page_size=101").status_code == 422
    assert client.get("/api/v1/agencies?sort=password").status_code == 422


def test_lists_only_show_the_callers_subtree(client):
    province = register(client, "province")
    regency_a, regency_b = register(client, "regency", province["id"]), register(client, "regency", province["id"])
    unit_a = register(client, "work_unit", regency_a["id"])
    page = client.get("/api/v1/agencies?page_size=100", headers=auth_header("viewer", regency_a["id"])).get_json()
    assert {i["id"] for i in page["items"]} == {regency_a["id"], unit_a["id"]}
    assert regency_b["id"] not in {i["id"] for i in page["items"]}


def test_every_write_kind_is_scoped(client):
    province = register(client, "province")
    regency_a, regency_b = register(client, "regency", province["id"]), register(client, "regency", province["id"])
    unit_b = register(client, "work_unit", regency_b["id"])
    operator_a = auth_header("operator", regency_a["id"])
    url = f"/api/v1/agencies/{unit_b['id']}"
    assert client.patch(url, json={"name": "x"}, headers={**operator_a, "If-Match": '"1"'}).status_code == 403
    assert client.post(f"{url}/deactivate", json={}, headers=operator_a).status_code == 403
    assert client.post(f"{url}/move", json={"parent_id": regency_a["id"]}, headers=operator_a).status_code == 403
    # Moving out of one's own subtree needs write access to the destination too.
    unit_a = register(client, "work_unit", regency_a["id"])
    response = client.post(f"/api/v1/agencies/{unit_a['id']}/move", json={"parent_id": regency_b["id"]},
                           headers=operator_a)
    assert response.status_code == 403
    assert events_of(unit_b["id"]) == [("registered", 1)] and events_of(unit_a["id"]) == [("registered", 1)]


def test_an_interrupted_move_is_finished_by_the_repair(client, agencies_app, six_levels):
    """Simulate a crash after the moved agency's write: descendants still have old paths."""
    t = six_levels
    ctx = AgencyContext(principal=SYSTEM, agencies=agencies_app.extensions["kinerja.repository"])
    coll(Agency).update_one({"_id": t["regency"]["id"]}, {"$set": {"parent_id": t["other"]["id"],
                                                                  "path": [t["other"]["id"]], "subtree_dirty": True}})
    from datetime import timedelta
    assert repair_dirty_subtrees(ctx, grace=timedelta(0)) == 4
    assert coll(Agency).find_one({"_id": t["sub3"]["id"]})["path"][:2] == [t["other"]["id"], t["regency"]["id"]]
    with ctx.agencies.moves_lease() as lease:
        assert rewrite_subtree_paths(ctx, t["regency"]["id"], lease) == 0  # idempotent
    assert repair_dirty_subtrees(ctx, grace=timedelta(0)) == 0  # the flag was cleared


def test_registering_under_a_parent_while_it_is_deactivated_never_leaves_an_active_child_of_an_inactive_parent(
        client, agencies_app):
    """Registrations and the parent's deactivation race on real MongoDB, round after round: whichever wins, the
    registry never holds an active agency under an inactive one."""
    import threading

    from services.agencies.commands.common import AgencyContext
    from services.agencies.commands.registry import deactivate_agency, register_agency
    from shared.auth.tokens import Principal
    from shared.errors import Conflict, Invalid, Unavailable

    agencies = agencies_app.extensions["kinerja.repository"]
    admin = AgencyContext(Principal("racer", "admin", "*"), agencies)
    province = register(client, "province")
    outcomes = {"registered": 0, "refused": 0, "deactivated": 0, "waited": 0}
    for _ in range(15):
        regency = register(client, "regency", province["id"])
        start = threading.Barrier(3)

        def registering():
            start.wait()
            try:
                register_agency(admin, {"code": unique("U"), "name": "Dinas", "type": "work_unit",
                                        "parent_id": regency["id"]})
                outcomes["registered"] += 1
            except Invalid:
                outcomes["refused"] += 1

        def deactivating():
            start.wait()
            try:
                deactivate_agency(admin, regency["id"], "merged", None)
                outcomes["deactivated"] += 1
            except Conflict:
                pass
            except Unavailable:
                outcomes["waited"] += 1
        threads = [threading.Thread(target=t) for t in (registering, registering, deactivating)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        parent = coll(Agency).find_one({"_id": regency["id"]})
        active_children = coll(Agency).count_documents({"parent_id": regency["id"], "status": "active"})
        assert not (parent["status"] == "inactive" and active_children), (parent["status"], active_children)
    assert outcomes["registered"] + outcomes["refused"] == 30
