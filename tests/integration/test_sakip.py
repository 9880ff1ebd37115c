"""SAKIP measurement through the API and the worker: the aggregation vectors on real scorecards, the plan
and the agreement as a planning office runs them (freeze, revision, versions, history), and the refusals
as problem+json."""
from __future__ import annotations

import pytest

from tests.conftest import auth_header
from tests.integration.indicators_support import (api, define, indicators_app, registry, repo,  # noqa: F401
                                                  run_worker, tree, verified)

REGENT = {"name": "Drs. H. Anwar Sadat, M.Ag", "title": "Bupati Tanjung Jabung Barat"}
KADIS = {"name": "Drs. H. Ahmad", "title": "Kepala Dinas Pendidikan"}


@pytest.fixture
def indicators_settings(settings_for):
    return settings_for("indicators", "sakip_")  # its own database: the default rule pack in force


def card(api, agency_id, period):
    response = api.get(f"/api/v1/agencies/{agency_id}/scorecard?period={period}")
    assert response.status_code == 200
    return {row["code"]: row for row in response.get_json()["indicators"]}


def record(api, indicator, values: dict) -> None:
    for period, value in values.items():
        verified(api, indicator, period, value)


def target(api, indicator, period, value, reason=None):
    return api.put(f"/api/v1/indicators/{indicator['id']}/targets/{period}", json={"value": value, "reason": reason})


def test_the_aggregation_vectors_on_the_scorecard(api, tree, run_worker):
    unit = tree["pendidikan"]
    total = define(api, unit, code="SUM", frequency="quarterly", aggregation="sum")
    mean = define(api, unit, code="AVG", frequency="monthly", aggregation="average")
    stock = define(api, unit, code="LAST", frequency="quarterly", aggregation="last", polarity="lower_is_better")
    assert target(api, total, "2025", 120).status_code == 200  # an annual target for a quarterly indicator
    for quarter in ("2025Q1", "2025Q2", "2025Q3", "2025Q4"):
        assert target(api, total, quarter, 30).status_code == 200
    assert target(api, mean, "2025", 80).status_code == 200
    assert target(api, stock, "2025", 10).status_code == 200
    assert target(api, mean, "202501", 5).status_code == 200
    record(api, total, {"2025Q1": 20, "2025Q2": 30, "2025Q3": 25, "2025Q4": 15})
    record(api, mean, {"202501": 70, "202502": 80, "202503": 90})
    record(api, stock, {"2025Q1": 12, "2025Q2": 11, "2025Q3": 9})
    run_worker()
    year = card(api, unit, "2025")
    assert (year["SUM"]["realised"], year["SUM"]["achievement"], year["SUM"]["partial"]) == (90, 75.0, False)
    assert (year["AVG"]["realised"], year["AVG"]["achievement"], year["AVG"]["partial"]) == (80, 100.0, True)
    assert (year["AVG"]["periods_verified"], year["AVG"]["periods_expected"]) == (3, 12)
    assert (year["LAST"]["realised"], year["LAST"]["achievement"]) == (9, 110.0)
    assert (year["LAST"]["periods_verified"], year["LAST"]["periods_expected"]) == (3, 4)
    assert year["SUM"]["category"] == {"code": "sedang", "label": "Sedang"}
    q2 = card(api, unit, "2025Q2")["SUM"]
    assert (q2["achievement"], q2["ytd"]["realised"], q2["ytd"]["target"], q2["ytd"]["achievement"]) == (
        100.0, 50, "60", 83.33)
    # A month shorter than the indicator's quarter takes no target.
    refused = target(api, total, "202502", 10)
    assert refused.status_code == 422 and "shorter than" in refused.get_json()["errors"]["period"][0]


def test_a_plan_and_a_signed_agreement_then_its_revision(api, tree, run_worker):
    unit = tree["pendidikan"]
    tree.set_head("tanjabbar", REGENT)
    tree.set_head("pendidikan", KADIS)
    ikm = define(api, unit, code="IKM")
    served = define(api, unit, code="LAYANAN", frequency="quarterly", aggregation="sum", unit="layanan")
    verified(api, ikm, "2024", 70, 80)
    plan = api.post("/api/v1/plans", json={
        "agency_id": unit, "name": "Renstra Dinas Pendidikan 2025–2029", "start_year": 2025, "end_year": 2029,
        "goals": [{"code": "T1", "name": "Meningkatnya mutu layanan pendidikan", "objectives": [
            {"code": "S1", "name": "Meningkatnya kepuasan masyarakat", "indicators": [
                {"indicator_id": ikm["id"], "baseline": {"value": 70, "year": 2024}, "targets": {"2025": 80},
                 "end_target": 90},
                {"indicator_id": served["id"], "targets": {"2025": 12}, "end_target": 20}]}]}]})
    assert plan.status_code == 201, plan.get_json()
    assert plan.headers["ETag"] == '"1"' and plan.headers["Location"].endswith(plan.get_json()["id"])
    objective = plan.get_json()["goals"][0]["objectives"][0]["id"]
    body = {"agency_id": unit, "year": 2025, "objectives": [{"objective_id": objective, "indicators": [
        {"indicator_id": ikm["id"], "target": {"value": 80}},
        {"indicator_id": served["id"], "target": {"value": 12},
         "quarterly_targets": {"Q1": {"value": 2}, "Q2": {"value": 3}, "Q3": {"value": 4}, "Q4": {"value": 3}}}]}],
        "budget": [{"programme": "Program Pengelolaan Pendidikan", "amount": 1250000000}]}
    draft = api.post("/api/v1/performance-agreements", json=body)
    assert draft.status_code == 201, draft.get_json()
    agreement = draft.get_json()
    assert (agreement["status"], agreement["in_force"], agreement["versions"]) == ("draft", None, [])
    assert agreement["draft"]["objectives"][0]["name"] == "Meningkatnya kepuasan masyarakat"  # the plan's
    operator = auth_header("operator", unit, sub="operator@disdik")
    base = f"/api/v1/performance-agreements/{agreement['id']}"
    assert api.post(f"{base}/sign", headers={**operator, "If-Match": '"9"'}).status_code == 412
    assert api.post(f"{base}/sign", headers=operator).status_code == 428  # sign what you read
    signed = api.post(f"{base}/sign", headers={**operator, "If-Match": draft.headers["ETag"]})
    assert signed.status_code == 200, signed.get_json()
    version = signed.get_json()["in_force"]
    assert (version["number"], version["signed_by"]) == (1, "operator@disdik")
    assert (version["head"]["name"], version["superior"]["name"]) == (KADIS["name"], REGENT["name"])
    run_worker()  # the worker sets the agreement's targets
    targets = api.get(f"/api/v1/indicators/{served['id']}/targets").get_json()["current"]
    assert {p: t["value"] for p, t in targets.items()} == {"2025": 12, "2025Q1": 2, "2025Q2": 3, "2025Q3": 4,
                                                          "2025Q4": 3}
    frozen = target(api, served, "2025Q2", 5, "lebih")
    assert frozen.status_code == 409 and frozen.content_type == "application/problem+json"
    problem = frozen.get_json()
    assert (problem["type"].rsplit("/", 1)[-1], problem["agreement_id"], problem["agreement_version"]) == (
        "agreement-signed", agreement["id"], 1)
    assert agreement["id"] in problem["detail"]
    body["objectives"][0]["indicators"][1]["target"] = {"value": 10}
    revised = api.post(f"{base}/revisions", headers=operator, json={
        "objectives": body["objectives"], "reason": "Perubahan APBD 2025"})
    assert revised.status_code == 201, revised.get_json()
    assert (revised.get_json()["version_in_force"], revised.get_json()["versions"]) == (2, [1, 2])
    assert revised.get_json()["in_force"]["target_revisions"] == [
        {"indicator_id": served["id"], "code": served["code"], "period": "2025",
         "before": {"value": 12, "min": None, "max": None}, "after": {"value": 10, "min": None, "max": None}}]
    old = api.get(f"{base}/versions/1")
    assert old.status_code == 200 and old.get_json()["objectives"][0]["indicators"][1]["target"]["value"] == 12
    assert api.get(f"{base}/versions/3").status_code == 404
    history = api.get(base).get_json()["history"]
    assert [(h["action"], h.get("version")) for h in history] == [("draft", None), ("sign", 1), ("revise", 2)]
    run_worker()
    history = api.get(f"/api/v1/indicators/{served['id']}/targets").get_json()["history"]
    assert [(h["period"], h["value"], h["reason"]) for h in history if h["period"] == "2025"] == [
        ("2025", 12, "PK 2025 versi 1"), ("2025", 10, "PK 2025 versi 2: Perubahan APBD 2025")]
    verified(api, ikm, "2025", 72)
    run_worker()
    row = card(api, unit, "2025")["IKM"]
    assert row["agreement"] == {"id": agreement["id"], "version": 2}
    assert row["previous"] == {"period": "2024", "realised": 70, "achievement": 87.5}
    assert (row["baseline"], row["end_target"], row["progress"]) == ({"value": 70, "year": 2024}, 90, 80.0)
    assert row["objective"]["id"] == objective
    listed = api.get(f"/api/v1/performance-agreements?agency_id={unit}&year=2025").get_json()
    assert [a["id"] for a in listed["items"]] == [agreement["id"]] and listed["items"][0]["version_in_force"] == 2


def test_what_plans_and_agreements_refuse(api, tree):
    unit = tree["pendidikan"]
    other = define(api, tree["kesehatan"])
    foreign = api.post("/api/v1/performance-agreements", json={
        "agency_id": unit, "year": 2025, "objectives": [{"name": "Sasaran", "indicators": [
            {"indicator_id": other["id"], "target": {"value": 1}}]}]})
    assert foreign.status_code == 422 and foreign.content_type == "application/problem+json"
    assert "no active indicator of the agency" in str(foreign.get_json()["errors"])
    tree.deactivate("kesehatan")
    inactive = api.post("/api/v1/performance-agreements", json={
        "agency_id": tree["kesehatan"], "year": 2025, "objectives": [{"name": "Sasaran", "indicators": [
            {"indicator_id": other["id"], "target": {"value": 1}}]}]})
    assert inactive.status_code == 422 and "agency_id" in inactive.get_json()["errors"]
    garbage = api.post("/api/v1/performance-agreements", json={"agency_id": unit, "year": "dua ribu",
                                                               "objectives": []})
    assert garbage.status_code == 422 and {"year", "objectives"} <= set(garbage.get_json()["errors"])
    plan = api.post("/api/v1/plans", json={"agency_id": unit, "name": "Renstra", "start_year": 2025,
                                           "end_year": 2024})
    assert plan.status_code == 422 and "end_year" in plan.get_json()["errors"]
    assert api.patch("/api/v1/plans/none", json={"name": "x"}, headers={"If-Match": "*"}).status_code == 404
    assert api.get("/api/v1/performance-agreements/none").status_code == 404
