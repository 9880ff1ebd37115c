"""The reads the workbench is built on: who the token names (/me, in every service), a period's
realisations across an agency's indicators, and the evaluator's queue (submitted, oldest first, named)."""
from __future__ import annotations

import pytest

from tests.conftest import app_of, auth_header
from tests.integration.indicators_support import (api, define, indicators_app, indicators_settings,  # noqa: F401
                                                  registry, repo, tree)

OPERATOR = lambda agency: auth_header("operator", agency, sub="operator@unit")  # noqa: E731


@pytest.mark.parametrize("service", ["agencies", "indicators", "reforms"])
def test_me_names_the_tokens_subject_role_and_agency(settings_for, service):
    client = app_of(service, settings_for(service, f"me{service[:3]}_")).test_client()
    response = client.get("/api/v1/me", headers=auth_header("admin", "*", sub="kabag@ortala"))
    assert response.status_code == 200
    assert response.get_json() == {"sub": "kabag@ortala", "role": "admin", "agency_id": "*"}
    assert client.get("/api/v1/me").status_code == 401


def submitted(api, indicator, period, value, who):
    base = f"/api/v1/indicators/{indicator['id']}/realisations/{period}"
    headers = auth_header("operator", indicator["agency_id"], sub=who)
    assert api.put(base, json={"value": value, "evidence": [{"title": "Laporan", "link": "https://x.go.id/a.pdf"}]},
                   headers=headers).status_code == 200
    assert api.post(f"{base}/submit", headers=headers).status_code == 200


def test_the_queue_is_the_subtrees_submissions_oldest_first_with_their_indicator_and_agency(api, tree):
    sd, kesehatan, other = (define(api, tree[name]) for name in ("bidang_sd", "kesehatan", "tanjabtim"))
    draft = define(api, tree["pendidikan"])
    submitted(api, kesehatan, "2025", 70, "op@kesehatan")
    submitted(api, sd, "2025", 80, "op@sd")
    submitted(api, other, "2025", 90, "op@tanjabtim")
    api.put(f"/api/v1/indicators/{draft['id']}/realisations/2025", json={"value": 1}, headers=OPERATOR(tree["pendidikan"]))
    evaluator = auth_header("evaluator", tree["tanjabbar"], sub="inspektur")
    queue = api.get(f"/api/v1/realisations?agency_id={tree['tanjabbar']}&subtree=true&status=submitted&period=2025",
                    headers=evaluator)
    assert queue.status_code == 200
    body = queue.get_json()
    assert [r["indicator_id"] for r in body["items"]] == [kesehatan["id"], sd["id"]] and body["total"] == 2
    assert body["items"][0]["indicator"]["code"] == kesehatan["code"]
    assert body["items"][0]["agency"]["name"] == "kesehatan"
    assert body["items"][1]["evidence"] == [{"title": "Laporan", "link": "https://x.go.id/a.pdf"}]
    # Without a status: every realisation of the period, drafts too; outside the caller's subtree: 403.
    every = api.get(f"/api/v1/realisations?agency_id={tree['tanjabbar']}&subtree=true&period=2025", headers=evaluator)
    assert {r["indicator_id"] for r in every.get_json()["items"]} == {kesehatan["id"], sd["id"], draft["id"]}
    assert api.get(f"/api/v1/realisations?agency_id={tree['tanjabtim']}", headers=evaluator).status_code == 403
    own = api.get(f"/api/v1/realisations?agency_id={tree['pendidikan']}&period=2025",
                  headers=OPERATOR(tree["pendidikan"])).get_json()
    assert [r["indicator_id"] for r in own["items"]] == [draft["id"]]  # not the subtree unless asked


def test_realisations_outside_the_callers_subtree_are_refused(api, tree):
    outside = api.get(f"/api/v1/realisations?agency_id={tree['tanjabtim']}&period=2025",
                      headers=OPERATOR(tree["pendidikan"]))
    assert outside.status_code == 403 and outside.mimetype == "application/problem+json"
    assert api.get(f"/api/v1/realisations?agency_id={tree['jambi']}&subtree=true",
                   headers=OPERATOR(tree["pendidikan"])).status_code == 403  # not the province above it either


def test_a_period_filter_takes_the_shorter_periods_inside_it(api, tree):
    monthly = define(api, tree["pendidikan"], frequency="monthly")
    for period in ("202503", "202504"):
        api.put(f"/api/v1/indicators/{monthly['id']}/realisations/{period}", json={"value": 1},
                headers=OPERATOR(tree["pendidikan"]))
    quarter = api.get(f"/api/v1/realisations?agency_id={tree['pendidikan']}&period=2025Q1").get_json()
    assert [r["period"] for r in quarter["items"]] == ["202503"]
    assert api.get("/api/v1/realisations?period=2025Q5").status_code == 422


def test_verifying_ones_own_submission_is_refused_with_its_own_problem_type(api, tree):
    indicator = define(api, tree["pendidikan"])
    submitted(api, indicator, "2025", 50, "same-person")
    response = api.post(f"/api/v1/indicators/{indicator['id']}/realisations/2025/verify",
                        headers=auth_header("evaluator", tree["pendidikan"], sub="same-person"))
    assert response.status_code == 403
    assert response.get_json()["type"].endswith("/own-submission")


def test_the_locks_covering_an_agency_include_its_ancestors_locks(api, tree):
    evaluator = auth_header("evaluator", tree["tanjabbar"], sub="kabag-ortala")
    assert api.post("/api/v1/period-locks", headers=evaluator, json={"agency_id": tree["tanjabbar"], "period": "2025",
                                                                     "reason": "LKjIP"}).status_code == 201
    assert api.post("/api/v1/period-locks", headers=evaluator, json={"agency_id": tree["kesehatan"],
                                                                     "period": "2024"}).status_code == 201
    operator = OPERATOR(tree["bidang_sd"])
    own = api.get(f"/api/v1/period-locks?agency_id={tree['bidang_sd']}", headers=operator).get_json()
    covering = api.get(f"/api/v1/period-locks?agency_id={tree['bidang_sd']}&covering=true", headers=operator).get_json()
    assert own == [] and [(lock["agency_id"], lock["period"]) for lock in covering] == [(tree["tanjabbar"], "2025")]
    # Of a lock above the caller's scope: that it closes the period, not who locked it or why.
    assert covering[0]["locked"] is True and "by" not in covering[0] and "reason" not in covering[0]
    assert "history" not in covering[0]
    mine = api.get(f"/api/v1/period-locks?agency_id={tree['bidang_sd']}&covering=true", headers=evaluator).get_json()
    assert mine[0]["by"] == "kabag-ortala" and mine[0]["reason"] == "LKjIP"  # the evaluator reads the regency
    # The caller reads the agency, not the ancestor: the regency itself is still refused.
    assert api.get(f"/api/v1/period-locks?agency_id={tree['tanjabbar']}", headers=operator).status_code == 403
