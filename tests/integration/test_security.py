"""Authentication, agency-scoped authorization and the audit trail, over real MongoDB."""
from __future__ import annotations

import time

import jwt
import pytest

from services.agencies.adapters.documents import Agency
from shared.audit import AuditRecord, move_pending_audit
from tests.conftest import TEST_JWT_SECRET, auth_header
from tests.support.kafka_tools import unique
from tests.support.relay import relay_audit_records
from tests.support.db import coll

PROBLEM = "application/problem+json"


@pytest.fixture
def tree(client):
    """Jambi ─┬─ Regency A ── Unit A
              └─ Regency B ── Unit B"""
    def make(type_, parent=None):
        body = {"code": unique(type_.upper()), "name": f"{type_} {unique('n')}", "type": type_,
                **({"parent_id": parent} if parent else {})}
        response = client.post("/api/v1/agencies", json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]
    province = make("province")
    regency_a, regency_b = make("regency", province), make("regency", province)
    return {"province": province, "regency_a": regency_a, "regency_b": regency_b,
            "unit_a": make("work_unit", regency_a), "unit_b": make("work_unit", regency_b)}


def unit_under(parent_id):
    return {"code": unique("OPD"), "name": "Dinas Kesehatan", "type": "work_unit", "parent_id": parent_id}


# --- authentication -------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics", "/api/v1/openapi.json", "/api/v1/asyncapi.json"])
def test_the_five_open_endpoints_need_no_token(anonymous, path):
    assert anonymous.get(path).status_code == 200


@pytest.mark.parametrize("method, path", [("get", "/api/v1/agencies/x"), ("post", "/api/v1/agencies"),
                                          ("get", "/api/v1/audit")])
def test_every_other_endpoint_needs_a_token(anonymous, method, path):
    response = getattr(anonymous, method)(path, json={} if method == "post" else None)
    assert response.status_code == 401
    assert response.mimetype == PROBLEM
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def forged(**claims):
    base = {"sub": "x", "role": "admin", "agency_id": "*", "exp": int(time.time()) + 86400}
    return {**base, **claims}


@pytest.mark.parametrize("authorization", [
    "Bearer " + jwt.encode(forged(exp=int(time.time()) - 3600), TEST_JWT_SECRET, algorithm="HS256"),
    "Bearer " + jwt.encode(forged(), "a-completely-different-secret-0123456789abcdef", algorithm="HS256"),
    "Bearer " + jwt.encode(forged(), None, algorithm="none"),
    "Basic YWRtaW46YWRtaW4=",
    "Bearer",
    "Bearer not-a-jwt",
])
def test_invalid_tokens_are_401(anonymous, authorization):
    response = anonymous.post("/api/v1/agencies", json=unit_under("x"), headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.mimetype == PROBLEM
    assert response.get_json()["detail"]


def test_a_token_whose_agency_was_deactivated_is_403(client, tree):
    coll(Agency).update_one({"_id": tree["unit_a"]}, {"$set": {"status": "inactive"}})
    response = client.get(f"/api/v1/agencies/{tree['unit_a']}", headers=auth_header("viewer", tree["unit_a"]))
    assert response.status_code == 403
    assert "deactivated" in response.get_json()["detail"]


def test_a_token_for_an_unknown_agency_is_403(client):
    response = client.get("/api/v1/agencies/x", headers=auth_header("viewer", "no-such-agency"))
    assert response.status_code == 403


# --- authorization over HTTP: each route once allowed, once refused (the whole role × scope matrix runs on
# the commands: tests/unit/agencies/test_matrix.py) ----------------------------------------------

# (role, token agency, parent of the new unit) → expected status
MATRIX = [("operator", "regency_a", "regency_a", 201), ("operator", "regency_b", "regency_a", 403)]


@pytest.mark.parametrize("role, token_agency, parent, expected", MATRIX)
def test_register_agency_matrix(client, tree, role, token_agency, parent, expected):
    agency_id = tree.get(token_agency, token_agency)
    body = unit_under(tree[parent]) if parent else {"code": unique("PROV"), "name": "Provinsi", "type": "province"}
    before = coll(Agency).count_documents({})
    response = client.post("/api/v1/agencies", json=body, headers=auth_header(role, agency_id))
    assert response.status_code == expected, response.get_json()
    if expected == 403:
        assert response.mimetype == PROBLEM
        assert response.get_json()["required_action"] == "write"
        assert coll(Agency).count_documents({}) == before


@pytest.mark.parametrize("role", ["viewer", "operator", "evaluator"])
def test_reads_are_scoped_to_the_subtree(client, tree, role):
    headers = auth_header(role, tree["regency_a"])
    assert client.get(f"/api/v1/agencies/{tree['regency_a']}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/agencies/{tree['unit_a']}", headers=headers).status_code == 200
    sibling = client.get(f"/api/v1/agencies/{tree['unit_b']}", headers=headers)
    assert sibling.status_code == 403
    assert tree["unit_b"] in sibling.get_json()["detail"]
    assert client.get(f"/api/v1/agencies/{tree['province']}", headers=headers).status_code == 403


# --- audit trail --------------------------------------------------------------------------------

def test_every_write_leaves_exactly_one_audit_record(client, tree):
    headers = auth_header("operator", tree["regency_a"], sub="siti@tanjabbar")
    created = client.post("/api/v1/agencies", json=unit_under(tree["regency_a"]), headers=headers,
                          environ_overrides={"HTTP_X_CORRELATION_ID": "audit-corr-1"})
    assert created.status_code == 201
    agency_id = created.get_json()["id"]
    # The record is stored with the write itself, and moved to the audit trail by the relay.
    [pending] = coll(Agency).find_one({"_id": agency_id})["audit_pending"]
    assert coll(AuditRecord).count_documents({"entity_id": agency_id}) == 0
    relay_audit_records()
    records = list(coll(AuditRecord).find({"entity_id": agency_id}))
    assert len(records) == 1
    [record] = records
    assert record["actor"] == "siti@tanjabbar" and record["role"] == "operator"
    assert record["action"] == "register" and record["entity_type"] == "agency"
    assert record["before"] is None and record["after"]["code"] == created.get_json()["code"]
    assert record["agency_path"] == [*created.get_json()["path"], agency_id]  # its scope: itself and above
    assert record["correlation_id"] == "audit-corr-1" and record["_id"] == pending["_id"]
    relay_audit_records()  # a second pass (or a second relay) moves nothing twice
    assert coll(AuditRecord).count_documents({"entity_id": agency_id}) == 1


def test_refused_writes_leave_no_audit_record(client, tree):
    before = coll(AuditRecord).count_documents({})
    client.post("/api/v1/agencies", json=unit_under(tree["regency_a"]), headers=auth_header("viewer", tree["regency_a"]))
    client.post("/api/v1/agencies", json={"code": "bad code"})
    assert coll(AuditRecord).count_documents({}) == before


def test_two_relays_moving_the_same_audit_record_store_it_once(client, tree):
    created = client.post("/api/v1/agencies", json=unit_under(tree["regency_a"])).get_json()
    collection = coll(Agency)
    docs = list(collection.find({"_id": created["id"]}, {"audit_pending": 1}))
    move_pending_audit(coll(AuditRecord), docs)
    move_pending_audit(coll(AuditRecord), docs)  # a second relay instance with the same batch changes nothing
    assert coll(AuditRecord).count_documents({"entity_id": created["id"]}) == 1


def test_audit_endpoint_filters_and_scopes(client, tree):
    relay_audit_records()
    evaluator_a = auth_header("evaluator", tree["regency_a"])
    page = client.get(f"/api/v1/audit?agency_id={tree['unit_a']}", headers=evaluator_a).get_json()
    assert [item["entity_id"] for item in page["items"]] == [tree["unit_a"]]
    hidden = client.get(f"/api/v1/audit?entity_id={tree['unit_b']}", headers=evaluator_a).get_json()
    assert hidden["items"] == [] and hidden["total"] == 0
    everything = client.get("/api/v1/audit?page_size=100&entity_type=agency").get_json()
    assert {tree["unit_a"], tree["unit_b"]} <= {item["entity_id"] for item in everything["items"]}
    assert client.get("/api/v1/audit?page_size=500").status_code == 422
    assert client.get("/api/v1/audit?since=yesterday").status_code == 422


@pytest.mark.parametrize("role", ["operator", "viewer"])
def test_operators_and_viewers_cannot_read_the_audit_trail(client, tree, role):
    response = client.get("/api/v1/audit", headers=auth_header(role, tree["regency_a"]))
    assert response.status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_audit_trail_cannot_be_written_through_the_api(client, method):
    response = getattr(client, method)("/api/v1/audit", json={"actor": "me"})
    assert response.status_code == 405
    assert response.mimetype == PROBLEM


def test_openapi_documents_bearer_security(anonymous):
    spec = anonymous.get("/api/v1/openapi.json").get_json()
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert spec["security"] == [{"bearer": []}]
    assert "/api/v1/audit" in spec["paths"]



# --- every other write endpoint of the registry -----------------------------------------------------

def _write_request(client, kind, tree):
    """(method, path, body, extra headers) of one write of `kind`, entirely inside regency A's subtree."""
    if kind == "update":
        return "patch", f"/api/v1/agencies/{tree['unit_a']}", {"name": "Nama Baru"}, {"If-Match": '"1"'}
    if kind == "deactivate":
        return "post", f"/api/v1/agencies/{tree['unit_a']}/deactivate", {"reason": "matrix"}, {}
    if kind == "move":  # a sub-unit of unit A moves under another work unit of regency A
        sub_unit = client.post("/api/v1/agencies", json={"code": unique("SUB"), "name": "Seksi", "type": "sub_unit",
                                                         "parent_id": tree["unit_a"]}).get_json()["id"]
        other_unit = client.post("/api/v1/agencies", json={"code": unique("OPD"), "name": "Dinas", "type": "work_unit",
                                                           "parent_id": tree["regency_a"]}).get_json()["id"]
        return "post", f"/api/v1/agencies/{sub_unit}/move", {"parent_id": other_unit}, {}
    regency_code = coll(Agency).find_one({"_id": tree["regency_a"]})["code"]
    return "post", "/api/v1/agencies/import", [{"code": unique("IMP"), "name": "Dinas", "type": "work_unit",
                                                "parent_code": regency_code}], {}


@pytest.mark.parametrize("kind", ["update", "move", "deactivate", "import"])
@pytest.mark.parametrize("role, in_scope, expected", [("operator", True, 200), ("operator", False, 403)])
def test_registry_write_matrix(client, tree, kind, role, in_scope, expected):
    """The token sits at regency A (in scope) or at its sibling regency B (out of scope)."""
    method, path, body, extra = _write_request(client, kind, tree)
    token_agency = "*" if role == "admin" else tree["regency_a" if in_scope else "regency_b"]
    response = getattr(client, method)(path, json=body, headers={**auth_header(role, token_agency), **extra})
    assert response.status_code == expected, response.get_json()
    if expected == 403:
        assert response.mimetype == PROBLEM


# --- every read route × scope ------------------------------------------------------------------

READ_ROUTES = ["", "/children", "/ancestors", "/descendants", "/tree"]


@pytest.mark.parametrize("route", READ_ROUTES)
@pytest.mark.parametrize("target, expected", [("unit_a", 200), ("unit_b", 403)])
def test_every_tree_read_is_scoped(client, tree, route, target, expected):
    response = client.get(f"/api/v1/agencies/{tree[target]}{route}", headers=auth_header("viewer", tree["regency_a"]))
    assert response.status_code == expected, response.get_json()
    if expected == 403:
        assert response.mimetype == PROBLEM and response.get_json()["required_action"] == "read"


def test_ancestors_above_the_scope_are_breadcrumbs_only(client, tree):
    client.patch(f"/api/v1/agencies/{tree['province']}", json={"head": {"name": "Dr. H. Al Haris", "title": "Gubernur"}},
                 headers={"If-Match": '"1"'})
    viewer = auth_header("viewer", tree["regency_a"])
    refused = client.get(f"/api/v1/agencies/{tree['province']}", headers=viewer)
    assert refused.status_code == 403
    province, regency = client.get(f"/api/v1/agencies/{tree['unit_a']}/ancestors", headers=viewer).get_json()
    assert set(province) == {"id", "code", "name", "type", "restricted"} and province["restricted"] is True
    assert province["id"] == tree["province"]
    assert regency["id"] == tree["regency_a"] and "restricted" not in regency and "version" in regency
    full = client.get(f"/api/v1/agencies/{tree['unit_a']}/ancestors").get_json()  # an admin sees everything
    assert full[0]["head"] == {"name": "Dr. H. Al Haris", "title": "Gubernur"} and "restricted" not in full[0]


def test_descendants_children_and_lists_never_leave_the_scope(client, tree):
    viewer = auth_header("viewer", tree["regency_a"])
    descendants = client.get(f"/api/v1/agencies/{tree['regency_a']}/descendants", headers=viewer).get_json()
    assert [d["id"] for d in descendants["items"]] == [tree["unit_a"]] and descendants["total"] == 1
    children = client.get(f"/api/v1/agencies/{tree['regency_a']}/children", headers=viewer).get_json()
    assert [c["id"] for c in children["items"]] == [tree["unit_a"]]
    tree_view = client.get(f"/api/v1/agencies/{tree['regency_a']}/tree", headers=viewer).get_json()
    assert [c["id"] for c in tree_view["children"]] == [tree["unit_a"]]
    listed = client.get(f"/api/v1/agencies?parent_id={tree['province']}&page_size=100", headers=viewer).get_json()
    assert [i["id"] for i in listed["items"]] == [tree["regency_a"]]


@pytest.mark.parametrize("role", ["operator", "evaluator", "viewer"])
def test_only_admins_see_or_retry_failed_events(client, tree, role):
    headers = auth_header(role, tree["province"])
    assert client.get("/api/v1/outbox/failed", headers=headers).status_code == 403
    assert client.post("/api/v1/outbox/failed/retry", json={}, headers=headers).status_code == 403
    assert client.get("/api/v1/outbox/failed").status_code == 200
