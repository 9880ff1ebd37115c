"""Twenty random moves at once over a four-level tree: afterwards every path equals its parent's path
plus the parent, in the registry and in both replicas (paths decide access)."""
from __future__ import annotations

import random
import threading

import requests
from pymongo import MongoClient

from tests.conftest import auth_header
from tests.support.kafka_tools import unique
from tests.support.wait import wait_for

ADMIN = auth_header("admin")


def register(stack, type_, parent=None) -> str:
    body = {"code": unique(type_.upper()), "name": f"{type_} {unique('n')}", "type": type_,
            **({"parent_id": parent} if parent else {})}
    response = requests.post(stack.url("agencies", "/api/v1/agencies"), json=body, headers=ADMIN, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def build_tree(stack) -> dict[str, list[str]]:
    levels = {"province": [register(stack, "province") for _ in range(2)]}
    levels["regency"] = [register(stack, "regency", p) for p in levels["province"] for _ in range(2)]
    levels["work_unit"] = [register(stack, "work_unit", r) for r in levels["regency"] for _ in range(2)]
    levels["sub_unit"] = [register(stack, "sub_unit", u) for u in levels["work_unit"] for _ in range(2)]
    levels["sub_unit"] += [register(stack, "sub_unit", s) for s in levels["sub_unit"][:4]]
    return levels


def random_move(levels, rng) -> tuple[str, str]:
    kind = rng.choice(["regency", "work_unit", "sub_unit", "sub_unit"])
    parents = {"regency": levels["province"], "work_unit": levels["regency"],
               "sub_unit": levels["work_unit"] + levels["sub_unit"]}[kind]
    return rng.choice(levels[kind]), rng.choice(parents)


def test_twenty_concurrent_moves_leave_every_path_consistent_everywhere(stack):
    levels = build_tree(stack)
    ids = [i for level in levels.values() for i in level]
    rng = random.Random(20261129)
    moves = [random_move(levels, rng) for _ in range(20)]
    outcomes: list[int] = []
    start = threading.Barrier(len(moves))

    def move(agency_id, parent_id):
        start.wait()
        response = requests.post(stack.url("agencies", f"/api/v1/agencies/{agency_id}/move"), headers=ADMIN,
                                 json={"parent_id": parent_id, "reason": "reorganisation"}, timeout=60)
        outcomes.append(response.status_code)

    threads = [threading.Thread(target=move, args=m) for m in moves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == 20 and set(outcomes) <= {200, 409}, outcomes  # 409: a move that would make a cycle
    assert outcomes.count(200) >= 10

    client = MongoClient("mongodb://127.0.0.1:27017")
    registry = {d["_id"]: d for d in client[f"{stack.namespace}kinerja_agencies"].agencies.find({"_id": {"$in": ids}})}
    for agency in registry.values():
        parent = registry.get(agency["parent_id"])
        assert agency["path"] == (parent["path"] + [parent["_id"]] if parent else []), agency["code"]
        assert "subtree_dirty" not in agency
    for service in ("indicators", "reforms"):
        replica = client[f"{stack.namespace}kinerja_{service}"].agency_replica

        def converged():
            copies = {d["_id"]: d for d in replica.find({"_id": {"$in": ids}})}
            return len(copies) == len(ids) and all(
                (copies[i]["path"], copies[i]["parent_id"], copies[i]["sequence"]) ==
                (registry[i]["path"], registry[i]["parent_id"], registry[i]["version"]) for i in ids)

        wait_for(converged, timeout=30, message=f"the {service} replica equal to the registry")
