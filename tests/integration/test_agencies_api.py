"""The agencies API over real MongoDB: what a client sees, and what is stored (or not)."""
from __future__ import annotations

import json

import pytest

from services.agencies.adapters.documents import Agency
from tests.support.kafka_tools import unique
from tests.support.db import coll

PROBLEM = "application/problem+json"


def province(code=None, **extra):
    return {"code": code or unique("PROV"), "name": "Pemerintah Provinsi Jambi", "type": "province", **extra}


@pytest.fixture
def stored(client):
    """How many agencies exist, and how many events wait in outboxes: a refused request changes neither."""
    def count():
        collection = coll(Agency)
        pending = sum(len(d.get("outbox", [])) for d in collection.find({}, {"outbox": 1}))
        return collection.count_documents({}), pending
    return count


def test_register_returns_201_location_etag_and_records_one_event(client):
    body = province(short_name="Jambi", head={"name": "H. Sudirman", "title": "Sekretaris Daerah"})
    response = client.post("/api/v1/agencies", json=body)
    assert response.status_code == 201
    created = response.get_json()
    assert response.headers["Location"] == f"/api/v1/agencies/{created['id']}"
    assert response.headers["ETag"] == '"1"'
    assert created["code"] == body["code"] and created["status"] == "active" and created["path"] == []
    assert created["head"] == {"name": "H. Sudirman", "title": "Sekretaris Daerah"}

    doc = coll(Agency).find_one({"_id": created["id"]})
    assert doc["outbox_due"] is not None  # the relay's index finds it
    [entry] = doc["outbox"]
    event = entry["event"]
    assert entry["id"] == event["id"] and entry["attempts"] == 0
    assert event["type"] == "kinerja.agency.registered.v1"
    assert event["subject"] == created["id"] and event["sequence"] == 1 and event["source"] == "agencies"
    assert event["data"]["agency"]["code"] == body["code"]


def test_get_returns_the_agency_with_its_etag(client):
    created = client.post("/api/v1/agencies", json=province()).get_json()
    response = client.get(f"/api/v1/agencies/{created['id']}")
    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'
    assert response.get_json()["id"] == created["id"]
    assert not {"outbox", "outbox_due", "audit_pending", "_id"} & set(response.get_json())


def test_child_path_is_parent_path_plus_parent(client):
    jambi = client.post("/api/v1/agencies", json=province()).get_json()
    regency = client.post("/api/v1/agencies", json={"code": unique("REG"), "name": "Pemkab Tanjung Jabung Barat",
                                                     "type": "regency", "parent_id": jambi["id"]}).get_json()
    unit = client.post("/api/v1/agencies", json={"code": unique("OPD"), "name": "Dinas Pendidikan",
                                                 "type": "work_unit", "parent_id": regency["id"]}).get_json()
    assert regency["path"] == [jambi["id"]]
    assert unit["path"] == [jambi["id"], regency["id"]]


def test_correlation_id_is_echoed_and_written_into_the_event(client):
    response = client.post("/api/v1/agencies", json=province(), headers={"X-Correlation-ID": "corr-123"})
    assert response.headers["X-Correlation-ID"] == "corr-123"
    doc = coll(Agency).find_one({"_id": response.get_json()["id"]})
    assert doc["outbox"][0]["event"]["correlationid"] == "corr-123"


def test_unknown_agency_is_404_problem(client):
    response = client.get("/api/v1/agencies/does-not-exist")
    assert response.status_code == 404
    assert response.mimetype == PROBLEM
    assert response.get_json()["status"] == 404


@pytest.mark.parametrize("name, request_kwargs, status, error_fields", [
    ("malformed JSON", dict(data='{"code": "X",', content_type="application/json"), 400, None),
    ("JSON that is not an object", dict(data="[1, 2]", content_type="application/json"), 422, None),
    ("form body", dict(data="code=X&name=Y", content_type="application/x-www-form-urlencoded"), 415, None),
    ("text body", dict(data='{"code": "X"}', content_type="text/plain"), 415, None),
    ("wrong types", dict(json={"code": 12, "name": ["x"], "type": "province"}), 422, {"code", "name"}),
    ("unknown field", dict(json={**province(), "budget": 1}), 422, {"budget"}),
    ("missing fields", dict(json={"code": "ONLY-CODE"}), 422, {"name", "type"}),
    ("bad enum", dict(json=province(type="kingdom")), 422, {"type"}),
    ("bad code characters", dict(json=province(code="has space")), 422, {"code"}),
    ("unknown parent", dict(json={**province(), "type": "regency", "parent_id": "nope"}), 422, {"parent_id"}),
    ("regency without parent", dict(json={**province(), "type": "regency"}), 422, {"parent_id"}),
    ("incomplete head", dict(json=province(head={"name": "X"})), 422, {"head"}),
])
def test_bad_input_is_a_problem_and_stores_nothing(client, stored, name, request_kwargs, status, error_fields):
    before = stored()
    response = client.post("/api/v1/agencies", **request_kwargs)
    assert response.status_code == status, (name, response.get_json())
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["status"] == status and problem["title"] and problem["detail"] and problem["type"]
    assert problem["instance"] == "/api/v1/agencies"
    if error_fields:
        assert error_fields <= set(problem["errors"]), problem
    assert stored() == before


def test_body_over_the_limit_is_413(client, stored, agencies_settings):
    before = stored()
    body = json.dumps(province(name="x" * (agencies_settings.max_body_bytes + 10)))
    response = client.post("/api/v1/agencies", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.mimetype == PROBLEM
    assert stored() == before


def test_duplicate_code_is_409_and_emits_nothing(client, stored):
    body = province()
    assert client.post("/api/v1/agencies", json=body).status_code == 201
    before = stored()
    response = client.post("/api/v1/agencies", json={**body, "name": "Another name"})
    assert response.status_code == 409
    assert response.mimetype == PROBLEM
    assert body["code"] in response.get_json()["detail"]
    assert stored() == before


def test_unsupported_method_is_405_problem_with_allow(client):
    response = client.delete("/api/v1/agencies")
    assert response.status_code == 405
    assert response.mimetype == PROBLEM
    assert "POST" in response.headers["Allow"]


def test_responses_carry_security_headers(client):
    response = client.get("/healthz")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_ops_endpoints(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["checks"] == {"mongo": "ok"}
    client.get("/api/v1/agencies/x")
    metrics = client.get("/metrics")
    assert metrics.status_code == 200
    assert b"kinerja_http_requests_total" in metrics.data


def test_an_api_stays_ready_while_kafka_is_unreachable(settings_for):
    """The APIs never talk to Kafka (the outbox is how they publish): a Kafka outage must not take them out of
    a load balancer. (Without MongoDB an API does not start; tests/reliability shows it not ready meanwhile.)"""
    from tests.conftest import app_of

    no_kafka = app_of("agencies", settings_for("agencies", "rdy_", KINERJA_KAFKA_BOOTSTRAP="127.0.0.1:1"))
    ready = no_kafka.test_client().get("/readyz")
    assert ready.status_code == 200 and ready.get_json() == {"status": "ready", "checks": {"mongo": "ok"}}


def test_openapi_document_describes_the_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/agencies", "/api/v1/agencies/{agency_id}"} <= set(spec["paths"])
    assert "AgencyCreate" in spec["components"]["schemas"]
