"""End to end over HTTP and Kafka: three gunicorn APIs and three workers, real processes."""
from __future__ import annotations

import signal
import time

import requests

from services.registry import service_named
from pymongo import MongoClient

from tests.conftest import auth_header
from tests.support.kafka_tools import unique
from tests.support.wait import wait_for

ADMIN = auth_header("admin")

REPLICAS = ("indicators", "reforms")


def register(stack, **fields) -> dict:
    body = {"code": unique("E2E"), "name": "Pemerintah Provinsi Jambi", "type": "province", **fields}
    response = requests.post(stack.url("agencies", "/api/v1/agencies"), json=body, timeout=10, headers=ADMIN)
    assert response.status_code == 201, response.text
    return response.json()


def replica(stack, service: str, agency_id: str):
    response = requests.get(stack.url(service, f"/api/v1/agencies/{agency_id}"), timeout=5, headers=ADMIN)
    return response.json() if response.status_code == 200 else None


def test_a_registered_agency_appears_in_both_replicas_within_two_seconds(stack):
    created = register(stack)
    started = time.monotonic()
    for service in REPLICAS:
        copy = wait_for(lambda: replica(stack, service, created["id"]), timeout=2 - (time.monotonic() - started),
                        message=f"{service} replica")
        assert copy["code"] == created["code"] and copy["sequence"] == 1 and copy["path"] == []


def test_a_subtree_keeps_its_paths_in_the_replicas(stack):
    province = register(stack)
    regency = register(stack, type="regency", parent_id=province["id"], name="Pemkab Tanjung Jabung Barat")
    unit = register(stack, type="work_unit", parent_id=regency["id"], name="Dinas Pendidikan")
    for service in REPLICAS:
        copy = wait_for(lambda: replica(stack, service, unit["id"]), timeout=5, message=f"{service} replica")
        assert copy["path"] == [province["id"], regency["id"]] and copy["parent_id"] == regency["id"]


def test_replica_of_an_unknown_agency_is_404_problem(stack):
    response = requests.get(stack.url("indicators", "/api/v1/agencies/unknown"), timeout=5, headers=ADMIN)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/problem+json")


def test_every_service_is_ready_and_serves_its_openapi(stack):
    for service in ("agencies", *REPLICAS):
        assert requests.get(stack.url(service, "/readyz"), timeout=5).json()["checks"] == {"mongo": "ok"}
        worker = requests.get(stack.worker_url(service, "/readyz"), timeout=5).json()
        assert worker["status"] == "ready" and (worker["checks"]["mongo"], worker["checks"]["kafka"]) == ("ok", "ok")
        consumed = len(service_named(service).spec.consumes)
        assert worker["checks"].get("partitions") == (f"{3 * consumed} partitions" if consumed else None)
        spec = requests.get(stack.url(service, "/api/v1/openapi.json"), timeout=5).json()
        assert "/api/v1/agencies/{agency_id}" in spec["paths"]
        metrics = requests.get(stack.url(service, "/metrics"), timeout=5)
        assert "kinerja_http_requests_total" in metrics.text


def test_every_service_serves_the_asyncapi_document_of_its_deployment(stack):
    from shared.asyncapi import document
    from services.registry import SERVICES

    expected = document(SERVICES.values(), namespace=stack.namespace, servers=[stack.kafka])
    for service in ("agencies", *REPLICAS):
        response = requests.get(stack.url(service, "/api/v1/asyncapi.json"), timeout=10)  # no token: public
        assert response.status_code == 200
        assert response.json() == expected
    assert expected["channels"]["reforms.events"]["address"] == f"{stack.namespace}kinerja.reforms.events"


def test_a_worker_killed_mid_stream_resumes_without_losing_or_double_applying(stack):
    agencies = [register(stack, name=f"Dinas {i}") for i in range(60)]
    # Kill the indicators worker while it is consuming this burst, register more while it is down.
    stack.kill("indicators-worker", signal.SIGKILL)
    agencies += [register(stack, name=f"Dinas {i}") for i in range(60, 120)]
    stack.start_worker("indicators")
    ids = [a["id"] for a in agencies]

    db = MongoClient("mongodb://127.0.0.1:27017")[f"{stack.namespace}kinerja_indicators"]

    def all_replicated():
        return db.agency_replica.count_documents({"_id": {"$in": ids}}) == len(ids)

    wait_for(all_replicated, timeout=60, message="all 120 agencies in the indicators replica")
    replicas = list(db.agency_replica.find({"_id": {"$in": ids}}))
    assert len(replicas) == len(ids)
    assert {r["sequence"] for r in replicas} == {1}
    assert {r["events_applied"] for r in replicas} == {1}  # redelivered messages were not applied again
    assert {r["code"] for r in replicas} == {a["code"] for a in agencies}


def test_replica_reads_are_scoped_by_the_replicated_tree(stack):
    province = register(stack)
    regency_a = register(stack, type="regency", parent_id=province["id"])
    regency_b = register(stack, type="regency", parent_id=province["id"])
    for service in REPLICAS:
        # Both regencies: the token's own agency must be known to the service, and the sibling too.
        for agency in (regency_a, regency_b):
            wait_for(lambda: replica(stack, service, agency["id"]), timeout=5, message=f"{service} replica")
        viewer_a = auth_header("viewer", regency_a["id"])
        own = requests.get(stack.url(service, f"/api/v1/agencies/{regency_a['id']}"), headers=viewer_a, timeout=5)
        sibling = requests.get(stack.url(service, f"/api/v1/agencies/{regency_b['id']}"), headers=viewer_a, timeout=5)
        anonymous = requests.get(stack.url(service, f"/api/v1/agencies/{regency_a['id']}"), timeout=5)
        assert (own.status_code, sibling.status_code, anonymous.status_code) == (200, 403, 401)


def test_moving_a_regency_updates_every_descendant_path_in_both_replicas(stack):
    jambi, riau = register(stack), register(stack, name="Pemerintah Provinsi Riau")
    regency = register(stack, type="regency", parent_id=jambi["id"])
    unit = register(stack, type="work_unit", parent_id=regency["id"])
    sub_unit = register(stack, type="sub_unit", parent_id=unit["id"])
    moved = requests.post(stack.url("agencies", f"/api/v1/agencies/{regency['id']}/move"), headers=ADMIN, timeout=10,
                          json={"parent_id": riau["id"], "reason": "boundary change"})
    assert moved.status_code == 200, moved.text
    expected = {regency["id"]: [riau["id"]], unit["id"]: [riau["id"], regency["id"]],
                sub_unit["id"]: [riau["id"], regency["id"], unit["id"]]}
    for service in REPLICAS:
        for agency_id, path in expected.items():
            copy = wait_for(lambda: (r := replica(stack, service, agency_id)) and r["path"] == path and r,
                            timeout=10, message=f"{service} replica of {agency_id} with the new path")
            assert copy["sequence"] == 2


def test_deactivation_reaches_the_replicas_and_locks_out_that_agencys_tokens(stack):
    province = register(stack)
    regency = register(stack, type="regency", parent_id=province["id"])
    response = requests.post(stack.url("agencies", f"/api/v1/agencies/{regency['id']}/deactivate"), headers=ADMIN,
                             json={"reason": "merged"}, timeout=10)
    assert response.status_code == 200
    viewer = auth_header("viewer", regency["id"])
    for service in REPLICAS:
        wait_for(lambda: (replica(stack, service, regency["id"]) or {}).get("status") == "inactive", timeout=10,
                 message=f"{service} replica inactive")
        refused = requests.get(stack.url(service, f"/api/v1/agencies/{regency['id']}"), headers=viewer, timeout=5)
        assert refused.status_code == 403 and "deactivated" in refused.json()["detail"]
