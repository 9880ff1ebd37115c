"""A service is its declaration: a toy service declared in one module (tests/support/toy/service.py) runs as
an API under gunicorn and a worker from that declaration alone — its collections and indexes, its routes,
its audit trail and outbox routes, its topic, its relay and its consumer."""
from __future__ import annotations

import pytest
import requests

from kinerja.testing.stack import Stack
from tests.conftest import TEST_JWT_SECRET, auth_header
from tests.support.wait import wait_for

TOY = "tests.support.toy.service:SERVICE"


@pytest.fixture
def toys(namespace):
    stack = Stack(f"{namespace}toy_", jwt_secret=TEST_JWT_SECRET, services=(TOY,)).start()
    yield stack
    stack.stop()
    stack.drop_data()


def test_a_toy_service_runs_from_its_declaration_alone(toys):
    made = requests.post(toys.url(TOY, "/api/v1/toys"), headers=auth_header("admin"), timeout=10)
    assert made.status_code == 201, made.text
    toy_id = made.json()["id"]
    # its worker relayed the event to its topic, and its own consumer handled it
    seen = wait_for(lambda: requests.get(toys.url(TOY, f"/api/v1/toys/{toy_id}"), headers=auth_header("admin"),
                                         timeout=5).json()["seen_event"], timeout=60, message="the worker to see the toy")
    assert seen
    audit = requests.get(toys.url(TOY, f"/api/v1/audit?entity_id={toy_id}"), headers=auth_header("admin"), timeout=5)
    assert [r["action"] for r in audit.json()["items"]] == ["make"]
    assert requests.get(toys.url(TOY, "/api/v1/outbox/failed"), headers=auth_header("admin"), timeout=5).json() == []
    spec = requests.get(toys.url(TOY, "/api/v1/openapi.json"), timeout=5).json()
    assert {"/api/v1/toys", "/api/v1/toys/{toy_id}", "/api/v1/audit"} <= set(spec["paths"])
    assert requests.get(toys.worker_url(TOY, "/healthz"), timeout=5).json()["status"] == "ok"
