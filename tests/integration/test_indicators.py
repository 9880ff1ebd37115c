"""The indicators service over real MongoDB: indicators, targets and their revisions, the realisation
workflow, period locks, scorecards and roll-ups by hand-computed numbers, reform activities counted once,
and the role × scope matrix."""
from __future__ import annotations

import pytest

from shared.contracts.reforms import ACTIVITY_COMPLETED
from shared.events.envelope import Event
from tests.conftest import auth_header
from tests.integration.indicators_support import (api, define, indicators_app, indicators_settings,  # noqa: F401
                                                  registry, repo, run_worker, tree, verified)
from tests.support.kafka_tools import unique
from tests.support.pump import deliver

PROBLEM = "application/problem+json"


# --- indicators -------------------------------------------------------------------------------

def test_an_indicator_of_an_unknown_or_inactive_agency_is_422(api, tree):
    unknown = api.post("/api/v1/indicators", json={"agency_id": "nobody", "code": "X", "name": "x", "unit": "%",
                                                   "polarity": "higher_is_better", "frequency": "annual"})
    assert unknown.status_code == 422 and "no agency nobody" in unknown.get_json()["errors"]["agency_id"][0]
    tree.deactivate("kesehatan")
    inactive = api.post("/api/v1/indicators", json={"agency_id": tree["kesehatan"], "code": "X", "name": "x",
                                                    "unit": "%", "polarity": "higher_is_better", "frequency": "annual"})
    assert inactive.status_code == 422 and "inactive" in inactive.get_json()["errors"]["agency_id"][0]


def test_codes_are_unique_per_agency_and_the_cascade_follows_the_tree(api, tree):
    parent = define(api, tree["tanjabbar"], code="IKU-1")
    assert api.post("/api/v1/indicators", json={"agency_id": tree["tanjabbar"], "code": "IKU-1", "name": "x",
                                                "unit": "%", "polarity": "higher_is_better",
                                                "frequency": "annual"}).status_code == 409
    child = define(api, tree["pendidikan"], code="IKU-1", parent_indicator_id=parent["id"])  # same code, other agency
    define(api, tree["bidang_sd"], parent_indicator_id=child["id"])
    sideways = api.post("/api/v1/indicators", json={"agency_id": tree["tanjabtim"], "code": "X", "name": "x",
                                                    "unit": "%", "polarity": "higher_is_better", "frequency": "annual",
                                                    "parent_indicator_id": child["id"]})
    assert sideways.status_code == 422 and "ancestor agency" in sideways.get_json()["errors"]["parent_indicator_id"][0]
    cascade = api.get(f"/api/v1/indicators/{parent['id']}/cascade").get_json()
    assert [c["id"] for c in cascade["children"]] == [child["id"]]
    assert len(cascade["children"][0]["children"]) == 1


def test_a_target_period_shorter_than_the_frequency_is_422(api, tree):
    indicator = define(api, tree["pendidikan"], frequency="quarterly")
    for period in ("202503", "2025Q5", "junk"):
        response = api.put(f"/api/v1/indicators/{indicator['id']}/targets/{period}", json={"value": 80})
        assert response.status_code == 422, period
        assert "period" in response.get_json()["errors"]
    for period in ("2025Q1", "2025"):  # its quarter, or the year it makes up
        assert api.put(f"/api/v1/indicators/{indicator['id']}/targets/{period}", json={"value": 80}).status_code == 200
    realisation = api.put(f"/api/v1/indicators/{indicator['id']}/realisations/2025", json={"value": 80})
    assert realisation.status_code == 422  # realisations are reported at the frequency


def test_a_target_revision_needs_a_reason_and_keeps_its_history(api, tree):
    indicator = define(api, tree["pendidikan"])
    url = f"/api/v1/indicators/{indicator['id']}/targets/2025"
    assert api.put(url, json={"min": 80, "max": 90}).status_code == 200
    again = api.put(url, json={"value": 85})
    assert again.status_code == 422 and "reason" in again.get_json()["errors"]
    revised = api.put(url, json={"value": 85, "reason": "PK Perubahan 2025"})
    assert revised.status_code == 200 and revised.get_json()["targets"]["2025"]["revision"] == 2
    history = api.get(f"/api/v1/indicators/{indicator['id']}/targets").get_json()
    assert [(h["revision"], h["min"], h["max"], h["value"], h["reason"]) for h in history["history"]] == [
        (1, 80, 90, None, None), (2, None, None, 85, "PK Perubahan 2025")]
    assert api.put(url, json={"min": 90, "max": 80, "reason": "x"}).status_code == 422


def test_a_retired_indicator_takes_no_more_targets(api, tree):
    indicator = define(api, tree["pendidikan"])
    assert api.post(f"/api/v1/indicators/{indicator['id']}/retire", json={"reason": "merged"}).status_code == 200
    refused = api.put(f"/api/v1/indicators/{indicator['id']}/targets/2025", json={"value": 1})
    assert refused.status_code == 409


# --- realisations -----------------------------------------------------------------------------

def test_the_realisation_workflow_and_its_history(api, tree):
    indicator = define(api, tree["pendidikan"])
    base = f"/api/v1/indicators/{indicator['id']}/realisations/2025"
    operator = auth_header("operator", tree["pendidikan"], sub="siti@disdik")
    evaluator = auth_header("evaluator", tree["tanjabbar"], sub="budi@inspektorat")
    assert api.post(f"{base}/submit", headers=operator).status_code == 404  # nothing recorded yet
    draft = api.put(base, headers=operator, json={"value": 82.5, "note": "survei semester II", "evidence": [
        {"title": "Laporan IKM", "link": "https://example.go.id/ikm.pdf"}]})
    assert draft.status_code == 200 and draft.get_json()["status"] == "draft"
    early = api.post(f"{base}/verify", headers=evaluator)
    assert early.status_code == 409 and early.get_json()["allowed"] == ["record", "submit"]
    assert api.post(f"{base}/submit", headers=operator).get_json()["status"] == "submitted"
    assert api.post(f"{base}/reject", headers=evaluator, json={}).status_code == 422  # a reason is required
    rejected = api.post(f"{base}/reject", headers=evaluator, json={"reason": "bukti tidak lengkap"})
    assert rejected.get_json()["status"] == "rejected" and rejected.get_json()["reason"] == "bukti tidak lengkap"
    assert api.put(base, headers=operator, json={"value": 83}).get_json()["status"] == "draft"
    api.post(f"{base}/submit", headers=operator)
    done = api.post(f"{base}/verify", headers=evaluator).get_json()
    assert (done["status"], done["verified_by"], done["value"]) == ("verified", "budi@inspektorat", 83)
    assert api.put(base, headers=operator, json={"value": 90}).status_code == 409  # verified: reopen first
    reopened = api.post(f"{base}/reopen", headers=evaluator, json={"reason": "angka direvisi BPS"}).get_json()
    assert reopened["status"] == "draft"
    assert [h["action"] for h in reopened["history"]] == ["record", "submit", "reject", "record", "submit", "verify",
                                                          "reopen"]


@pytest.mark.parametrize("role", ["admin", "evaluator", "operator"])
def test_nobody_verifies_or_rejects_what_they_submitted(api, tree, role):
    indicator = define(api, tree["pendidikan"])
    base = f"/api/v1/indicators/{indicator['id']}/realisations/2025"
    same = auth_header(role, tree["pendidikan"] if role != "admin" else "*", sub="same-person")
    operator = auth_header("operator", tree["pendidikan"], sub="same-person")
    api.put(base, json={"value": 1}, headers=operator)
    api.post(f"{base}/submit", headers=operator)
    for action, body in (("verify", None), ("reject", {"reason": "x"})):
        response = api.post(f"{base}/{action}", headers=same, json=body)
        assert response.status_code == 403 and response.mimetype == PROBLEM
        if role != "operator":  # an operator may not verify at all; the others because they submitted it
            assert "they submitted" in response.get_json()["detail"]
    assert api.get(base).get_json()["status"] == "submitted"


# --- period locks -----------------------------------------------------------------------------

def test_a_locked_period_refuses_writes_in_the_subtree_saying_who_and_when(api, tree):
    monthly = define(api, tree["bidang_sd"], frequency="monthly")
    annual = define(api, tree["pendidikan"])
    evaluator = auth_header("evaluator", tree["tanjabbar"], sub="kabag-ortala")
    lock = api.post("/api/v1/period-locks", headers=evaluator,
                    json={"agency_id": tree["tanjabbar"], "period": "2025", "reason": "LKjIP 2025 disusun"})
    assert lock.status_code == 201
    for url, body in ((f"/api/v1/indicators/{monthly['id']}/targets/202503", {"value": 5}),
                      (f"/api/v1/indicators/{monthly['id']}/realisations/202503", {"value": 5}),
                      (f"/api/v1/indicators/{annual['id']}/targets/2025", {"value": 5})):
        refused = api.put(url, json=body)
        assert refused.status_code == 409 and refused.get_json()["locked_by"] == "kabag-ortala"
        assert "kabag-ortala" in refused.get_json()["detail"] and "since" in refused.get_json()["detail"]
    assert api.put(f"/api/v1/indicators/{monthly['id']}/targets/202603", json={"value": 5}).status_code == 200
    assert api.post("/api/v1/period-locks", headers=evaluator,
                    json={"agency_id": tree["tanjabbar"], "period": "2025"}).status_code == 409
    operator = auth_header("operator", tree["tanjabbar"])
    assert api.post(f"/api/v1/period-locks/{lock.get_json()['id']}/unlock", headers=operator,
                    json={"reason": "x"}).status_code == 403
    unlocked = api.post(f"/api/v1/period-locks/{lock.get_json()['id']}/unlock", headers=evaluator,
                        json={"reason": "revisi"})
    assert unlocked.status_code == 200 and unlocked.get_json()["locked"] is False
    assert api.put(f"/api/v1/indicators/{annual['id']}/targets/2025", json={"value": 5}).status_code == 200


def test_a_realisation_in_a_locked_period_reads_as_locked(api, tree):
    indicator = define(api, tree["kesehatan"])
    verified(api, indicator, "2025", 80, 100)
    api.post("/api/v1/period-locks", json={"agency_id": tree["jambi"], "period": "2025"})
    realisation = api.get(f"/api/v1/indicators/{indicator['id']}/realisations/2025").get_json()
    assert realisation["locked"] is True and realisation["status"] == "verified"


# --- scorecards -------------------------------------------------------------------------------

def test_a_scorecard_by_hand(api, tree, run_worker):
    """Pendidikan: IKM higher-is-better target 80-90, realised 70 → 87.5 (weight 2); lama layanan
    lower-is-better target 7-8 days, realised 6.5 → 107.14 (weight 1); a third indicator with no target.
    Score (87.5×2 + 107.14) / 3 = 94.05 → Sangat Tinggi, green; coverage 2 of 3."""
    ikm = define(api, tree["pendidikan"], code="IKM", weight=2)
    days = define(api, tree["pendidikan"], code="LAMA", polarity="lower_is_better", unit="days")
    define(api, tree["pendidikan"], code="BARU")
    verified(api, ikm, "2025", 70, {"min": 80, "max": 90})
    verified(api, days, "2025", 6.5, {"min": 7, "max": 8})
    run_worker()
    card = api.get(f"/api/v1/agencies/{tree['pendidikan']}/scorecard?period=2025").get_json()
    assert card["own"] == {"score": 94.05, "grade": "sangat_tinggi", "light": "green", "coverage": 0.6667,
                           "indicators": 3, "category": {"code": "sangat_tinggi", "label": "Sangat Tinggi"}}
    rows = {row["code"]: row for row in card["indicators"]}
    assert (rows["IKM"]["achievement"], rows["IKM"]["target"], rows["IKM"]["realised"]) == (87.5, "80–90", 70)
    assert rows["LAMA"]["achievement"] == 107.14 and rows["LAMA"]["light"] == "green"
    assert rows["BARU"]["achievement"] is None and rows["BARU"]["not_computable"] == "no target"
    assert rows["IKM"]["category"] == {"code": "tinggi", "label": "Tinggi"} and rows["IKM"]["indicator_category"] == "IKU"
    assert card["rulepack_version"] == 2


def test_a_three_level_roll_up_with_unequal_weights_by_hand(api, tree, run_worker):
    """bidang_sd 100 (weight 3 in pendidikan); pendidikan own 60 → roll-up (60 + 3×100) / 4 = 90;
    kesehatan 50 (weight 1); tanjabbar has no indicator: (90×2 + 50×1) / 3 = 76.67 (pendidikan weight 2)."""
    for name, value in (("bidang_sd", 100), ("pendidikan", 60), ("kesehatan", 50)):
        verified(api, define(api, tree[name]), "2025", value, 100)
    assert api.put(f"/api/v1/agencies/{tree['bidang_sd']}/rollup-weight", json={"weight": 3}).status_code == 200
    assert api.put(f"/api/v1/agencies/{tree['pendidikan']}/rollup-weight", json={"weight": 2}).status_code == 200
    run_worker()
    pendidikan = api.get(f"/api/v1/agencies/{tree['pendidikan']}/scorecard?period=2025").get_json()
    assert (pendidikan["own"]["score"], pendidikan["rollup"]["score"]) == (60.0, 90.0)
    regency = api.get(f"/api/v1/agencies/{tree['tanjabbar']}/scorecard?period=2025").get_json()
    assert regency["own"]["score"] is None
    assert (regency["rollup"]["score"], regency["rollup"]["grade"]) == (76.67, "tinggi")
    assert {c["code"]: (c["score"], c["weight"]) for c in regency["children"]} == {
        tree.agencies["pendidikan"]["code"]: (90.0, 2.0), tree.agencies["kesehatan"]["code"]: (50.0, 1.0)}
    province = api.get(f"/api/v1/agencies/{tree['jambi']}/scorecard?period=2025").get_json()
    assert province["rollup"]["score"] == 76.67  # tanjabtim has nothing to count
    ranking = api.get(f"/api/v1/agencies/{tree['tanjabbar']}/rankings?period=2025").get_json()
    assert [(i["name"], i["rank"]) for i in ranking["items"]] == [("pendidikan", 1), ("kesehatan", 2)]


def test_monthly_realisations_roll_into_quarters_and_the_year(api, tree, run_worker):
    indicator = define(api, tree["kesehatan"], frequency="monthly")  # average: the mean of the months
    for period in ("2025Q1", "2025Q2", "2025"):
        assert api.put(f"/api/v1/indicators/{indicator['id']}/targets/{period}", json={"value": 100}).status_code == 200
    for month, value in (("202501", 90), ("202502", 70), ("202504", 100)):
        verified(api, indicator, month, value, 100)
    run_worker()
    def score(period):
        return api.get(f"/api/v1/agencies/{tree['kesehatan']}/scorecard?period={period}").get_json()["own"]["score"]
    assert (score("202502"), score("2025Q1"), score("2025Q2"), score("2025")) == (70.0, 80.0, 100.0, 86.67)


def test_moving_a_work_unit_moves_its_score_to_the_other_roll_up(api, tree, run_worker):
    verified(api, define(api, tree["kesehatan"]), "2025", 40, 100)
    verified(api, define(api, tree["pendidikan"]), "2025", 80, 100)
    run_worker()
    rollup = lambda name: api.get(f"/api/v1/agencies/{tree[name]}/scorecard?period=2025").get_json()["rollup"]["score"]  # noqa: E731
    assert (rollup("tanjabbar"), rollup("tanjabtim")) == (60.0, None)
    tree.move("kesehatan", "tanjabtim")
    run_worker()
    assert (rollup("tanjabbar"), rollup("tanjabtim"), rollup("jambi")) == (80.0, 40.0, 60.0)
    tree.deactivate("pendidikan")  # greyed out: listed, not counted
    run_worker()
    regency = api.get(f"/api/v1/agencies/{tree['tanjabbar']}/scorecard?period=2025").get_json()
    assert regency["rollup"]["score"] is None and regency["children"][0]["status"] == "inactive"


def test_a_new_rule_pack_rescores_and_is_named(api, tree, run_worker):
    verified(api, define(api, tree["kesehatan"]), "2025", 150, 100)
    run_worker()
    card = lambda: api.get(f"/api/v1/agencies/{tree['kesehatan']}/scorecard?period=2025").get_json()  # noqa: E731
    assert (card()["own"]["score"], card()["rulepack_version"]) == (120.0, 2)
    bands = [{"code": "A", "min": 80}, {"code": "B", "min": 50}, {"code": "C", "min": None}]
    added = api.post("/api/v1/rulepacks", json={"effective_from": "2025-01-01", "cap": 110, "bands": bands})
    assert added.status_code == 201 and added.get_json()["version"] == 3
    run_worker()
    assert (card()["own"]["score"], card()["own"]["grade"], card()["rulepack_version"]) == (110.0, "A", 3)
    assert card()["rescored_from_version"] == 2
    assert api.post("/api/v1/rulepacks", json={"effective_from": "2025-01-01", "bands": bands},
                    headers=auth_header("evaluator", tree["jambi"])).status_code == 403


# --- reform activities -------------------------------------------------------------------------

def completed(activity_id, indicator_ids, area="manajemen_perubahan", end="2025-08-21T15:00:00+07:00"):
    activity = {"id": activity_id, "title": "FGD perubahan mindset", "kind": "fgd", "area": area,
                "organiser_agency_id": "x", "status": "completed", "start": end, "end": end,
                "linked_indicator_ids": indicator_ids, "participant_agency_ids": []}
    event = ACTIVITY_COMPLETED.build(source="reforms", subject=activity_id, sequence=3, data={"activity": activity})
    return Event.from_dict(event.to_dict())


def test_each_completed_activity_counts_once_even_when_redelivered(api, tree, registry):
    fed = define(api, tree["pendidikan"], fed_by_reforms=["manajemen_perubahan"], unit="activities")
    unfed = define(api, tree["pendidikan"])
    first = completed(unique("act"), [fed["id"], unfed["id"]])
    deliver(registry, [first])
    deliver(registry, [first])  # redelivered
    realisation = api.get(f"/api/v1/indicators/{fed['id']}/realisations/2025").get_json()
    assert (realisation["value"], realisation["status"], realisation["source"]) == (1, "submitted", "reforms")
    deliver(registry, [completed(unique("act"), [fed["id"]]), completed(unique("act"), [fed["id"]], area="other")])
    assert api.get(f"/api/v1/indicators/{fed['id']}/realisations/2025").get_json()["value"] == 2
    assert api.get(f"/api/v1/indicators/{unfed['id']}/realisations/2025").status_code == 404


# --- role × scope --------------------------------------------------------------------------------

@pytest.mark.parametrize("role, home, expected", [
    ("admin", None, 201), ("operator", "pendidikan", 201), ("operator", "tanjabbar", 201),
    ("operator", "kesehatan", 403), ("evaluator", "pendidikan", 403), ("viewer", "pendidikan", 403)])
def test_defining_an_indicator_by_role_and_scope(api, tree, role, home, expected):
    headers = auth_header(role, tree[home] if home else "*")
    response = api.post("/api/v1/indicators", headers=headers, json={
        "agency_id": tree["pendidikan"], "code": unique("C"), "name": "x", "unit": "%", "polarity": "higher_is_better",
        "frequency": "annual"})
    assert response.status_code == expected, response.get_json()


@pytest.mark.parametrize("role, home, read, verify", [
    ("viewer", "tanjabbar", 200, 403), ("viewer", "kesehatan", 403, 403), ("evaluator", "tanjabbar", 200, 200),
    ("evaluator", "kesehatan", 403, 403), ("operator", "pendidikan", 200, 403)])
def test_reads_and_verification_by_role_and_scope(api, tree, role, home, read, verify):
    indicator = define(api, tree["pendidikan"])
    base = f"/api/v1/indicators/{indicator['id']}"
    submitter = auth_header("operator", tree["pendidikan"], sub="submitter")
    api.put(f"{base}/realisations/2025", json={"value": 1}, headers=submitter)
    api.post(f"{base}/realisations/2025/submit", headers=submitter)
    headers = auth_header(role, tree[home])
    for path in ("", "/targets", "/realisations", "/realisations/2025", "/cascade"):
        assert api.get(f"{base}{path}", headers=headers).status_code == read, path
    assert api.get(f"/api/v1/agencies/{tree['pendidikan']}/scorecard?period=2025", headers=headers).status_code == read
    assert api.post(f"{base}/realisations/2025/verify", headers=headers).status_code == verify


def test_lists_stay_inside_the_scope(api, tree):
    mine, other = define(api, tree["bidang_sd"]), define(api, tree["kesehatan"])
    viewer = auth_header("viewer", tree["pendidikan"])
    listed = api.get("/api/v1/indicators?page_size=100", headers=viewer).get_json()
    assert [i["id"] for i in listed["items"]] == [mine["id"]]
    subtree = api.get(f"/api/v1/indicators?agency_id={tree['tanjabbar']}&subtree=true&page_size=100").get_json()
    assert {mine["id"], other["id"]} <= {i["id"] for i in subtree["items"]}
    assert api.get(f"/api/v1/indicators?agency_id={tree['kesehatan']}", headers=viewer).status_code == 403


def test_rule_pack_bands_must_be_ordered_with_only_the_last_open(api):
    for bands in ([{"code": "A", "min": None}, {"code": "B", "min": None}],
                  [{"code": "A", "min": 50}, {"code": "B", "min": 60}, {"code": "C", "min": None}],
                  [{"code": "A", "min": 50}, {"code": "B", "min": 40}]):
        response = api.post("/api/v1/rulepacks", json={"effective_from": "2030-01-01", "bands": bands})
        assert response.status_code == 422 and "bands" in response.get_json()["errors"], bands


def test_data_quality_lists_the_subtrees_reporting_gaps(api, tree):
    verified(api, define(api, tree["pendidikan"], code="IKU-A"), "2025", 80, 100)
    missing = define(api, tree["kesehatan"], code="IKU-B")
    drafted = define(api, tree["bidang_sd"], code="IKU-C")
    assert api.put(f"/api/v1/indicators/{drafted['id']}/realisations/2025", json={"value": 3}).status_code == 200
    rejected = define(api, tree["pendidikan"], code="IKU-D")
    base = f"/api/v1/indicators/{rejected['id']}/realisations/2025"
    operator = auth_header("operator", tree["pendidikan"], sub="operator@unit")
    assert api.put(base, json={"value": 5}, headers=operator).status_code == 200
    assert api.post(f"{base}/submit", headers=operator).status_code == 200
    assert api.post(f"{base}/reject", json={"reason": "bukti kurang"},
                    headers=auth_header("evaluator", tree["tanjabbar"], sub="inspektorat")).status_code == 200
    define(api, tree["tanjabtim"], code="IKU-E")  # another regency: not in the subtree

    response = api.get(f"/api/v1/agencies/{tree['tanjabbar']}/data-quality?period=2025&as_of=2026-02-15")
    assert response.status_code == 200, response.get_json()
    quality = response.get_json()
    assert (quality["indicators"], quality["expected"]) == (4, 4)
    assert quality["counts"] == {"verified": 1, "submitted": 0, "rejected": 1, "draft": 1, "missing": 1}
    assert {(g["code"], g["status"], g["agency_id"], g["deadline"], g["overdue"]) for g in quality["missing"]} == {
        ("IKU-B", "missing", tree["kesehatan"], "2026-01-30", True),
        ("IKU-C", "draft", tree["bidang_sd"], "2026-01-30", True)}
    [gap] = quality["rejected"]
    assert (gap["code"], gap["reason"], gap["rejected_by"], gap["agency_code"]) == (
        "IKU-D", "bukti kurang", "inspektorat", tree.agencies["pendidikan"]["code"])
    later = api.get(f"/api/v1/agencies/{tree['tanjabbar']}/data-quality?period=2025&as_of=2026-01-10&grace_days=60")
    assert all(not g["overdue"] and g["deadline"] == "2026-03-01" for g in later.get_json()["missing"])
    assert api.get(f"/api/v1/agencies/{tree['tanjabbar']}/data-quality?period=25").status_code == 422
    assert api.get(f"/api/v1/agencies/{tree['tanjabbar']}/data-quality?period=2025",
                   headers=auth_header("viewer", tree["tanjabtim"])).status_code == 403
