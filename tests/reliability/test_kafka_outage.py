"""Faults of the real infrastructure. These tests stop and restart the local Kafka broker."""
from __future__ import annotations

import subprocess

import pytest
import requests
from pymongo import MongoClient

from tests.conftest import auth_header
from tests.support.kafka_tools import unique
from tests.support.stack import REPO
from tests.support.wait import wait_for

ADMIN = auth_header("admin")

KAFKA = str(REPO / "deploy" / "local" / "kafka.sh")
PIDFILE = REPO / ".local" / "run" / "kafka.pid"

pytestmark = pytest.mark.reliability


@pytest.fixture
def kafka_we_can_restart():
    if not PIDFILE.exists():
        pytest.fail("Kafka was not started by deploy/local/kafka.sh in this checkout; `make test` starts it")
    yield
    subprocess.run([KAFKA, "start"], check=True)


def test_writes_during_a_kafka_outage_all_arrive_exactly_once_after_it(stack, kafka_we_can_restart):
    subprocess.run([KAFKA, "stop"], check=True)
    codes = [unique("OUTAGE") for _ in range(50)]
    ids = []
    for code in codes:
        response = requests.post(stack.url("agencies", "/api/v1/agencies"), timeout=10, headers=ADMIN,
                                 json={"code": code, "name": f"Dinas {code}", "type": "province"})
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    ready = requests.get(stack.url("agencies", "/readyz"), timeout=10)
    assert ready.status_code == 503 and ready.json()["checks"]["kafka"] != "ok"

    client = MongoClient("mongodb://127.0.0.1:27017")
    pending = client[f"{stack.namespace}kinerja_agencies"].agencies.count_documents(
        {"_id": {"$in": ids}, "outbox_pending": True})
    assert pending == 50  # every event waits in its aggregate's outbox

    subprocess.run([KAFKA, "start"], check=True)
    for service in ("indicators", "reforms"):
        replicas = client[f"{stack.namespace}kinerja_{service}"].agency_replica
        wait_for(lambda: replicas.count_documents({"_id": {"$in": ids}}) == 50, timeout=90,
                 message=f"all 50 agencies in the {service} replica")
        stored = list(replicas.find({"_id": {"$in": ids}}))
        assert sorted(r["code"] for r in stored) == sorted(codes)
        assert {r["events_applied"] for r in stored} == {1}
    # The relay clears the pending flag right after the broker's acknowledgement.
    wait_for(lambda: client[f"{stack.namespace}kinerja_agencies"].agencies.count_documents(
        {"_id": {"$in": ids}, "outbox_pending": True}) == 0, timeout=10, message="outboxes drained")
