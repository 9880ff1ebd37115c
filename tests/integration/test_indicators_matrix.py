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
        "effective_from": "2099-01-01", "bands": [{"grade": "A", "above": 50}, {"grade": "B", "above": None}]}, {}),
                        201, {"admin"}),
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
