"""Every write route of the indicators service over HTTP, once by a caller who may (the exact success status)
and once by one who may not (403 problem+json), each on fresh state. The whole role × scope matrix runs on the
commands (tests/unit/indicators/test_matrix.py); this checks that every route hands the caller to them.

The tree: Jambi > Tanjabbar > Pendidikan, Kesehatan. The object of every route belongs to Pendidikan."""
from __future__ import annotations

import pytest

from tests.conftest import auth_header
from tests.support.matrix import one_allowed_and_one_refused
from tests.unit.indicators.test_matrix import CALLERS, VERIFIERS, WRITERS
from tests.integration.indicators_support import (api, define, indicators_app, registry, repo,  # noqa: F401
                                                  tree)
from tests.support.kafka_tools import unique

@pytest.fixture
def indicators_settings(settings_for):
    return settings_for("indicators", "indm_")  # its own database: rule packs added here stay here


def _indicator(api, tree):
    return define(api, tree["pendidikan"])


def _submitted(api, tree, *, verified=False):
    indicator = _indicator(api, tree)
    base = f"/api/v1/indicators/{indicator['id']}/realisations/2025"
    submitter = auth_header("operator", tree["pendidikan"], sub="submitter@unit")
    assert api.put(base, json={"value": 70}, headers=submitter).status_code == 200
    assert api.post(f"{base}/submit", headers=submitter).status_code == 200
    if verified:
        checker = auth_header("evaluator", tree["tanjabbar"], sub="checker@inspektorat")
        assert api.post(f"{base}/verify", headers=checker).status_code == 200
    return base


def _draft(api, tree):
    indicator = _indicator(api, tree)
    base = f"/api/v1/indicators/{indicator['id']}/realisations/2025"
    assert api.put(base, json={"value": 70}).status_code == 200
    return base


def _lock(api, tree):
    response = api.post("/api/v1/period-locks", json={"agency_id": tree["pendidikan"], "period": "2024",
                                                      "reason": "closing"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _plan_body(t, indicator_id=None) -> dict:
    rows = [{"indicator_id": indicator_id, "targets": {"2025": 80}}] if indicator_id else []
    return {"agency_id": t["pendidikan"], "name": "Renstra", "start_year": 2025, "end_year": 2029,
            "goals": [{"code": "T1", "name": "Tujuan", "objectives": [{"code": "S1", "name": "Sasaran",
                                                                        "indicators": rows}]}]}


def _plan(api, t) -> str:
    response = api.post("/api/v1/plans", json=_plan_body(t, _indicator(api, t)["id"]))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _agreement_body(t, indicator_id, target=80) -> dict:
    return {"agency_id": t["pendidikan"], "year": 2025, "head": {"name": "Kepala", "title": "Kepala Dinas"},
            "superior": {"name": "Bupati", "title": "Bupati"},
            "objectives": [{"name": "Sasaran", "indicators": [{"indicator_id": indicator_id,
                                                                "target": {"value": target}}]}]}


def _agreement(api, t, signed=False) -> tuple[str, str]:
    indicator = _indicator(api, t)["id"]
    response = api.post("/api/v1/performance-agreements", json=_agreement_body(t, indicator))
    assert response.status_code == 201, response.get_json()
    agreement = response.get_json()["id"]
    if signed:
        assert api.post(f"/api/v1/performance-agreements/{agreement}/sign", headers={"If-Match": "*"}).status_code == 200
    return agreement, indicator


# route name: (prepare(api, tree) -> (method, path, json body, extra headers), success status, allowed callers)
ROUTES = {
    "define an indicator": (lambda api, t: ("post", "/api/v1/indicators", {
        "agency_id": t["pendidikan"], "code": unique("C"), "name": "x", "unit": "%", "polarity": "higher_is_better",
        "frequency": "annual"}, {}), 201, WRITERS),
    "change an indicator": (lambda api, t: ("patch", f"/api/v1/indicators/{_indicator(api, t)['id']}",
                                            {"name": "renamed"}, {"If-Match": "*"}), 200, WRITERS),
    "retire an indicator": (lambda api, t: ("post", f"/api/v1/indicators/{_indicator(api, t)['id']}/retire",
                                            {"reason": "replaced"}, {}), 200, WRITERS),
    "set a target": (lambda api, t: ("put", f"/api/v1/indicators/{_indicator(api, t)['id']}/targets/2025",
                                     {"value": 80}, {}), 200, WRITERS),
    "record a realisation": (lambda api, t: ("put", f"/api/v1/indicators/{_indicator(api, t)['id']}/realisations/2025",
                                             {"value": 75}, {}), 200, WRITERS),
    "submit a realisation": (lambda api, t: ("post", f"{_draft(api, t)}/submit", None, {}), 200, WRITERS),
    "verify a realisation": (lambda api, t: ("post", f"{_submitted(api, t)}/verify", None, {}), 200, VERIFIERS),
    "reject a realisation": (lambda api, t: ("post", f"{_submitted(api, t)}/reject", {"reason": "no evidence"}, {}),
                             200, VERIFIERS),
    "reopen a realisation": (lambda api, t: ("post", f"{_submitted(api, t, verified=True)}/reopen",
                                             {"reason": "late evidence"}, {}), 200, VERIFIERS),
    "lock a period": (lambda api, t: ("post", "/api/v1/period-locks",
                                      {"agency_id": t["pendidikan"], "period": "2025", "reason": "closing"}, {}),
                      201, VERIFIERS),
    "unlock a period": (lambda api, t: ("post", f"/api/v1/period-locks/{_lock(api, t)}/unlock",
                                        {"reason": "correction"}, {}), 200, VERIFIERS),
    # how much the unit counts in its parent's roll-up is the parent's to decide
    "set a roll-up weight": (lambda api, t: ("put", f"/api/v1/agencies/{t['pendidikan']}/rollup-weight",
                                             {"weight": 2}, {}), 200, {"admin", "operator of the regency"}),
    "add a rule pack": (lambda api, t: ("post", "/api/v1/rulepacks", {
        "effective_from": "2099-01-01", "bands": [{"code": "A", "min": 50}, {"code": "B", "min": None}]}, {}),
                        201, {"admin"}),
    "make a rule pack effective": (lambda api, t: ("put", "/api/v1/rulepacks/2/effective-from", {
        "effective_from": "2000-01-01", "reason": "SAKIP"}, {}), 200, {"admin"}),
    "draw up a plan": (lambda api, t: ("post", "/api/v1/plans", _plan_body(t), {}), 201, WRITERS),
    "change a plan": (lambda api, t: ("patch", f"/api/v1/plans/{_plan(api, t)}", {"name": "Renstra baru"},
                                      {"If-Match": "*"}), 200, WRITERS),
    "archive a plan": (lambda api, t: ("post", f"/api/v1/plans/{_plan(api, t)}/archive", {"reason": "diganti"}, {}),
                       200, WRITERS),
    "draft an agreement": (lambda api, t: ("post", "/api/v1/performance-agreements",
                                           _agreement_body(t, _indicator(api, t)["id"]), {}), 201, WRITERS),
    "change a draft": (lambda api, t: (lambda ai: ("patch", f"/api/v1/performance-agreements/{ai[0]}",
                                                   {"budget": [{"programme": "P", "amount": 5}]},
                                                   {"If-Match": "*"}))(_agreement(api, t)), 200, WRITERS),
    "sign an agreement": (lambda api, t: ("post", f"/api/v1/performance-agreements/{_agreement(api, t)[0]}/sign",
                                          None, {"If-Match": '"1"'}), 200, WRITERS),
    "revise an agreement": (lambda api, t: (lambda ai: (
        "post", f"/api/v1/performance-agreements/{ai[0]}/revisions",
        {**{k: v for k, v in _agreement_body(t, ai[1], 70).items() if k not in ("agency_id", "year")},
         "reason": "perubahan"}, {}))(_agreement(api, t, signed=True)), 201, WRITERS),
}


@pytest.mark.parametrize("route, caller", one_allowed_and_one_refused(ROUTES, CALLERS))
def test_every_write_route_by_role_and_scope(api, tree, route, caller):
    prepare, success, allowed = ROUTES[route]
    method, path, body, extra = prepare(api, tree)
    role, home = CALLERS[caller]
    headers = {**auth_header(role, tree[home] if home else "*", sub=caller.replace(" ", "-")), **extra}
    response = getattr(api, method)(path, json=body, headers=headers)
    expected = success if caller in allowed else 403
    assert response.status_code == expected, response.get_json()
    if expected == 403:
        assert response.content_type == "application/problem+json"


@pytest.mark.parametrize("caller", ["viewer of the unit", "operator of a sibling"])
def test_rankings_data_quality_and_rule_packs_by_role_and_scope(api, tree, caller):
    role, home = CALLERS[caller]
    headers = auth_header(role, tree[home] if home else "*")
    readable = caller not in {"operator of a sibling", "evaluator of a sibling"}
    for view in ("rankings", "data-quality"):
        response = api.get(f"/api/v1/agencies/{tree['pendidikan']}/{view}?period=2025", headers=headers)
        assert response.status_code == (200 if readable else 403)
    assert api.get("/api/v1/rulepacks", headers=headers).status_code == 200  # the rules are public to every caller
    plan = _plan(api, tree)
    agreement, _ = _agreement(api, tree, signed=True)
    for path in (f"/api/v1/plans/{plan}", f"/api/v1/performance-agreements/{agreement}",
                 f"/api/v1/performance-agreements/{agreement}/versions/1"):
        response = api.get(path, headers=headers)
        assert response.status_code == (200 if readable else 403), path
    for path in ("/api/v1/plans", "/api/v1/performance-agreements"):
        response = api.get(f"{path}?agency_id={tree['pendidikan']}&year=2025", headers=headers)
        assert response.status_code == (200 if readable else 403), path
        if readable:
            assert response.get_json()["total"] >= 1
