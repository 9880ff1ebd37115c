"""Faults of the infrastructure, on servers of the test's own (never the shared ones): the stack here
talks to a Kafka broker this module starts on free ports, stops and restarts."""
from __future__ import annotations

import pytest
import requests
from pymongo import MongoClient

from kinerja.testing.stack import Stack
from tests.conftest import TEST_JWT_SECRET, auth_header
from tests.support.kafka_tools import unique
from tests.support.servers import OwnKafka
from tests.support.wait import wait_for

ADMIN = auth_header("admin")

pytestmark = pytest.mark.reliability


@pytest.fixture(scope="module")
def kafka(tmp_path_factory):
    broker = OwnKafka(tmp_path_factory.mktemp("kafka")).start()
    yield broker
    broker.stop()


@pytest.fixture(scope="module")
def stack_on_own_kafka(kafka, namespace):
    stack = Stack(f"{namespace}outage_", kafka=kafka.bootstrap, jwt_secret=TEST_JWT_SECRET).start()
    yield stack
    stack.stop()
    stack.drop_data()


def test_writes_during_a_kafka_outage_all_arrive_exactly_once_after_it(stack_on_own_kafka, kafka):
    stack = stack_on_own_kafka
    kafka.stop()
    codes = [unique("OUTAGE") for _ in range(50)]
    ids = []
    for code in codes:
        response = requests.post(stack.url("agencies", "/api/v1/agencies"), timeout=10, headers=ADMIN,
                                 json={"code": code, "name": f"Dinas {code}", "type": "province"})
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    ready = requests.get(stack.url("agencies", "/readyz"), timeout=10)
    assert ready.status_code == 200  # the API takes writes: its outbox keeps the events
    worker = requests.get(stack.worker_url("agencies", "/readyz"), timeout=10)
    assert worker.status_code == 503 and worker.json()["checks"]["kafka"] == "no bootstrap broker reachable"

    client = MongoClient("mongodb://127.0.0.1:27017")
    agencies = client[f"{stack.namespace}kinerja_agencies"].agencies
    waiting = {d["_id"]: [e["id"] for e in d["outbox"]] for d in agencies.find({"_id": {"$in": ids}})}
    assert sorted(waiting) == sorted(ids) and all(len(events) == 1 for events in waiting.values())
    assert agencies.count_documents({"_id": {"$in": ids}, "outbox_failed": True}) == 0  # an outage fails nothing

    kafka.start()
    for service in ("indicators", "reforms"):
        replicas = client[f"{stack.namespace}kinerja_{service}"].agency_replica
        wait_for(lambda: replicas.count_documents({"_id": {"$in": ids}}) == 50, timeout=90,
                 message=f"all 50 agencies in the {service} replica")
        stored = list(replicas.find({"_id": {"$in": ids}}))
        assert sorted(r["code"] for r in stored) == sorted(codes)
        assert {r["events_applied"] for r in stored} == {1}
    wait_for(lambda: agencies.count_documents({"_id": {"$in": ids}, "outbox.0": {"$exists": True}}) == 0,
             timeout=10, message="outboxes drained")
