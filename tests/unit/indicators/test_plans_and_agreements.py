"""Strategic plans and performance agreements at the command level (fakes): the plan's rules, the agreement's
lifecycle, the freeze of signed targets, revisions and their target revisions, what the worker applies, and
what the scorecard rows compare with."""
from __future__ import annotations

import pytest

from shared.errors import Conflict, Invalid, NotFound, StaleVersion
from services.indicators.adapters.migrations import migrate
from services.indicators.commands.agreements import (apply_agreement_targets, draft_agreement, revise_agreement,
                                                     sign_agreement, update_draft)
from services.indicators.commands.indicators import retire_indicator, set_target
from services.indicators.commands.locks import lock_period
from services.indicators.commands.plans import archive_plan, create_plan, update_plan
from services.indicators.consumers.agreements import AGREEMENTS, AgreementTargets
from services.indicators.commands.common import IndicatorsContext
from shared.events.handlers import HandlerRegistry
from services.indicators.consumers.scorecards import Scorer
from services.indicators.domain.scorecard import scorecard_id
from tests.support.fakes import pending_events
from tests.support.pump import deliver
from tests.unit.indicators.conftest import indicator_of, verified_value

HEAD = {"name": "Drs. H. Ahmad", "title": "Kepala Dinas Pendidikan"}
REGENT = {"name": "Drs. H. Anwar Sadat, M.Ag", "title": "Bupati Tanjung Jabung Barat"}


@pytest.fixture
def heads(repo, tree):
    repo.directory.collection.update_one({"_id": tree["pendidikan"]}, {"$set": {"head": HEAD}})
    repo.directory.collection.update_one({"_id": tree["tanjabbar"]}, {"$set": {"head": REGENT}})


def plan_of(as_, agency: str, indicators: list[dict], supports: str | None = None, **fields) -> dict:
    operator = as_("operator", agency)
    return create_plan(operator, {"agency_id": as_.tree[agency], "name": f"Renstra {agency} 2025–2029",
                                  "start_year": 2025, "end_year": 2029, **fields, "goals": [
        {"code": "T1", "name": "Meningkatnya mutu layanan", "objectives": [
            {"code": "S1", "name": "Meningkatnya akses pendidikan", "supports_objective_id": supports,
             "indicators": [{"indicator_id": i["id"], "baseline": {"value": 60, "year": 2024},
                             "targets": {"2025": 70, "2029": 90}, "end_target": 90} for i in indicators]}]}]})


def agreement_body(as_, agency: str, indicator: dict, target: float = 120, quarterly=None, **fields) -> dict:
    row = {"indicator_id": indicator["id"], "target": {"value": target}}
    if quarterly:
        row["quarterly_targets"] = {q: {"value": v} for q, v in zip(("Q1", "Q2", "Q3", "Q4"), quarterly)}
    return {"agency_id": as_.tree[agency], "year": 2025, "objectives": [{"name": "Meningkatnya akses pendidikan",
                                                                         "indicators": [row]}], **fields}


def signed(as_, agency: str, indicator: dict, **kw) -> dict:
    draft = draft_agreement(as_("operator", agency), agreement_body(as_, agency, indicator, **kw))
    agreement = sign_agreement(as_("operator", agency, "kadis@pendidikan"), draft["id"], None)
    apply_agreement_targets(IndicatorsContext(AGREEMENTS, as_.repo), agreement["id"])
    return agreement


# -- plans -----------------------------------------------------------------------------------------

def test_a_plan_names_its_objectives_by_code_and_keeps_its_history(as_, tree):
    ikm = indicator_of(as_(), tree["pendidikan"])
    plan = plan_of(as_, "pendidikan", [ikm])
    objective = plan["goals"][0]["objectives"][0]
    assert objective["id"] == f"{plan['id']}:S1" and plan["indicator_ids"] == [ikm["id"]]
    changed = update_plan(as_("operator", "pendidikan"), plan["id"], {"name": "Renstra Disdik", "reason": "nama"},
                          plan["version"])
    assert changed["goals"][0]["objectives"][0]["id"] == objective["id"]
    assert [h["action"] for h in changed["history"]] == ["create", "update"]
    assert changed["history"][1]["changed"] == ["name"] and changed["history"][1]["reason"] == "nama"
    with pytest.raises(StaleVersion):
        update_plan(as_("operator", "pendidikan"), plan["id"], {"name": "again"}, plan["version"])
    archived = archive_plan(as_("operator", "pendidikan"), plan["id"], "diganti", None)
    assert archived["status"] == "archived"
    with pytest.raises(Conflict):
        update_plan(as_("operator", "pendidikan"), plan["id"], {"name": "x"}, archived["version"])


def test_a_plan_refuses_what_contradicts_it(as_, tree):
    ikm = indicator_of(as_(), tree["pendidikan"])
    other = indicator_of(as_(), tree["kesehatan"])
    with pytest.raises(Invalid) as err:
        plan_of(as_, "pendidikan", [other])
    assert "is not an indicator of agency" in str(err.value.errors)
    with pytest.raises(Invalid):
        plan_of(as_, "pendidikan", [ikm, ikm])
    with pytest.raises(Invalid) as err:
        plan_of(as_, "pendidikan", [ikm], end_year=2024)
    assert "end_year" in err.value.errors
    plan_of(as_, "pendidikan", [ikm])
    with pytest.raises(Conflict) as overlap:
        plan_of(as_, "pendidikan", [], start_year=2029, end_year=2033)
    assert overlap.value.kind == "overlapping-plan"


def test_an_objective_supports_only_an_ancestors_objective(as_, tree):
    regency_plan = plan_of(as_, "tanjabbar", [indicator_of(as_(), tree["tanjabbar"])])
    regency_objective = regency_plan["goals"][0]["objectives"][0]["id"]
    unit = plan_of(as_, "pendidikan", [indicator_of(as_(), tree["pendidikan"])], supports=regency_objective)
    assert unit["goals"][0]["objectives"][0]["supports_objective_id"] == regency_objective
    sibling_objective = unit["goals"][0]["objectives"][0]["id"]
    with pytest.raises(Invalid) as err:
        plan_of(as_, "kesehatan", [indicator_of(as_(), tree["kesehatan"])], supports=sibling_objective)
    assert "ancestor agency only" in str(err.value.errors)
    with pytest.raises(Invalid):
        plan_of(as_, "kesehatan", [], supports="no-such:S9")


# -- agreements ------------------------------------------------------------------------------------

def test_signing_records_who_and_the_registrys_signatories_and_sets_the_targets(as_, tree, heads, repo):
    services = indicator_of(as_(), tree["pendidikan"], frequency="quarterly", aggregation="sum")
    agreement = signed(as_, "pendidikan", services, target=12, quarterly=(2, 3, 4, 3))
    version = agreement["versions"][0]
    assert (agreement["status"], agreement["version_in_force"], version["number"]) == ("signed", 1, 1)
    assert version["signed_by"] == "kadis@pendidikan"
    assert version["head"] == {**HEAD, "agency_id": tree["pendidikan"]}
    assert version["superior"] == {**REGENT, "agency_id": tree["tanjabbar"]}
    targets = repo.indicators.get(services["id"])["targets"]
    assert {p: t["value"] for p, t in targets.items()} == {"2025": 12, "2025Q1": 2, "2025Q2": 3, "2025Q3": 4,
                                                          "2025Q4": 3}
    assert targets["2025"]["agreement"] == {"id": agreement["id"], "version": 1}
    assert targets["2025"]["reason"] == "PK 2025 versi 1"
    # The worker applying it again (a redelivery) changes nothing.
    before = repo.indicators.get(services["id"])["version"]
    assert apply_agreement_targets(IndicatorsContext(AGREEMENTS, repo), agreement["id"]) == 0
    assert repo.indicators.get(services["id"])["version"] == before


def test_a_signed_agreement_freezes_its_targets_until_a_revision(as_, tree, heads, repo):
    services = indicator_of(as_(), tree["pendidikan"], frequency="quarterly", aggregation="sum")
    agreement = signed(as_, "pendidikan", services, target=12, quarterly=(2, 3, 4, 3))
    for period in ("2025", "2025Q2"):
        with pytest.raises(Conflict) as frozen:
            set_target(as_("operator", "pendidikan"), services["id"], period, {"value": 20}, "lebih tinggi")
        assert frozen.value.kind == "agreement-signed"
        assert (frozen.value.extensions["agreement_id"], frozen.value.extensions["agreement_version"]) == (agreement["id"], 1)
        assert agreement["id"] in str(frozen.value) and "version 1" in str(frozen.value)
    set_target(as_("operator", "pendidikan"), services["id"], "2026", {"value": 14}, None)  # another year: free
    with pytest.raises(Conflict) as signed_already:
        update_draft(as_("operator", "pendidikan"), agreement["id"], {"budget": []}, agreement["version"])
    assert signed_already.value.kind == "signed"
    body = agreement_body(as_, "pendidikan", services, target=10, quarterly=(2, 2, 3, 3))
    revised = revise_agreement(as_("operator", "pendidikan", "kadis@pendidikan"), agreement["id"],
                               {"objectives": body["objectives"], "reason": "Refocusing anggaran"}, None)
    apply_agreement_targets(IndicatorsContext(AGREEMENTS, repo), agreement["id"])
    assert [v["number"] for v in revised["versions"]] == [1, 2] and revised["version_in_force"] == 2
    assert revised["versions"][0]["objectives"][0]["indicators"][0]["target"]["value"] == 12  # still readable
    assert revised["versions"][1]["reason"] == "Refocusing anggaran"
    assert [(r["period"], r["before"]["value"], r["after"]["value"]) for r in revised["versions"][1]["target_revisions"]] \
        == [("2025", 12, 10), ("2025Q2", 3, 2), ("2025Q3", 4, 3)]  # Q1 and Q4 kept theirs
    indicator = repo.indicators.get(services["id"])
    assert indicator["targets"]["2025"]["value"] == 10 and indicator["targets"]["2025"]["revision"] == 2
    assert indicator["targets"]["2025"]["reason"] == "PK 2025 versi 2: Refocusing anggaran"
    assert [(h["period"], h["value"]) for h in indicator["target_history"] if h["period"] in ("2025", "2025Q2")] == [
        ("2025", 12), ("2025Q2", 3), ("2025", 10), ("2025Q2", 2)]
    with pytest.raises(Invalid):  # a revision that changes nothing is refused
        revise_agreement(as_("operator", "pendidikan"), agreement["id"],
                         {"objectives": body["objectives"], "reason": "lagi"}, None)


def test_an_indicator_under_a_signed_agreement_keeps_its_aggregation(as_, tree, heads, repo):
    from services.indicators.commands.indicators import update_indicator
    services = indicator_of(as_(), tree["pendidikan"], frequency="quarterly", aggregation="sum")
    agreement = signed(as_, "pendidikan", services, target=12)
    with pytest.raises(Conflict) as refused:
        update_indicator(as_(), services["id"], {"aggregation": "average"}, None)
    assert refused.value.extensions["agreement_id"] == agreement["id"]
    assert update_indicator(as_(), services["id"], {"name": "Layanan digital"}, None)["name"] == "Layanan digital"


def test_an_agreement_freezes_the_targets_it_sets_only(as_, tree, heads, repo):
    attendance = indicator_of(as_(), tree["pendidikan"], frequency="monthly", aggregation="average")
    signed(as_, "pendidikan", attendance, target=95, quarterly=(95, 95, 90, 95))
    operator = as_("operator", "pendidikan")
    with pytest.raises(Conflict):
        set_target(operator, attendance["id"], "2025Q3", {"value": 80}, "x")
    set_target(operator, attendance["id"], "202509", {"value": 88}, None)  # a month the agreement leaves open
    assert repo.indicators.get(attendance["id"])["targets"]["202509"]["value"] == 88


def test_an_agreement_signed_before_frozen_targets_were_kept_freezes_after_the_migration(as_, tree, heads, repo):
    ikm = indicator_of(as_(), tree["pendidikan"])
    agreement = signed(as_, "pendidikan", ikm, target=80)
    repo.agreements.collection.update_one({"_id": agreement["id"]}, {"$unset": {"frozen_targets": ""}})
    set_target(as_(), ikm["id"], "2025", {"value": 81}, "sebelum migrasi")  # nothing froze it
    assert migrate(repo)["agreements"] == 1 and migrate(repo)["agreements"] == 0
    with pytest.raises(Conflict):
        set_target(as_(), ikm["id"], "2025", {"value": 82}, "sesudah migrasi")


def test_a_revision_keeps_the_signatories_the_agreement_named(as_, tree, repo):
    ikm = indicator_of(as_(), tree["kesehatan"])
    operator = as_("operator", "kesehatan")
    named = {"name": "dr. Sari", "title": "Kepala Dinas Kesehatan"}
    draft = draft_agreement(operator, agreement_body(as_, "kesehatan", ikm, head=named, superior=REGENT))
    sign_agreement(operator, draft["id"], None)
    revised = revise_agreement(operator, draft["id"], {
        "objectives": agreement_body(as_, "kesehatan", ikm, target=90)["objectives"], "reason": "koreksi"}, None)
    assert revised["versions"][1]["head"]["name"] == "dr. Sari"
    assert revised["versions"][1]["superior"]["name"] == REGENT["name"]


def test_a_revision_that_no_longer_sets_a_quarter_or_an_indicator_gives_their_targets_back(as_, tree, heads, repo):
    services = indicator_of(as_(), tree["pendidikan"], frequency="quarterly", aggregation="sum")
    ikm = indicator_of(as_(), tree["pendidikan"])
    body = agreement_body(as_, "pendidikan", services, target=12, quarterly=(2, 3, 4, 3))
    body["objectives"][0]["indicators"].append({"indicator_id": ikm["id"], "target": {"value": 80}})
    draft = draft_agreement(as_("operator", "pendidikan"), body)
    sign_agreement(as_("operator", "pendidikan"), draft["id"], None)
    apply_agreement_targets(IndicatorsContext(AGREEMENTS, repo), draft["id"])
    revised = agreement_body(as_, "pendidikan", services, target=10)  # no quarters, and without the IKM
    revise_agreement(as_("operator", "pendidikan"), draft["id"], {**revised, "reason": "APBD-P"}, None)
    apply_agreement_targets(IndicatorsContext(AGREEMENTS, repo), draft["id"])
    assert {p: t["value"] for p, t in repo.indicators.get(services["id"])["targets"].items()} == {"2025": 10}
    assert repo.indicators.get(ikm["id"])["targets"] == {}
    assert [h["period"] for h in repo.indicators.get(ikm["id"])["target_history"] if h.get("removed")] == ["2025"]
    set_target(as_("operator", "pendidikan"), ikm["id"], "2025", {"value": 70}, None)  # no longer frozen: its own
    set_target(as_("operator", "pendidikan"), services["id"], "2025Q1", {"value": 1}, None)
    assert apply_agreement_targets(IndicatorsContext(AGREEMENTS, repo), draft["id"]) == 0  # the unit's own stay


def test_an_older_event_applied_late_keeps_the_targets_of_the_version_in_force(as_, tree, heads, repo):
    ikm = indicator_of(as_(), tree["pendidikan"])
    agreement = signed(as_, "pendidikan", ikm, target=80)
    revise_agreement(as_("operator", "pendidikan"), agreement["id"],
                     {"objectives": agreement_body(as_, "pendidikan", ikm, target=75)["objectives"],
                      "reason": "koreksi"}, None)
    registry = HandlerRegistry()
    AgreementTargets(repo).register(registry)
    events = [e for e in pending_events(repo.agreements) if e.type.startswith("kinerja.performance_agreement")]
    assert [e.type for e in events] == ["kinerja.performance_agreement.signed.v1",
                                        "kinerja.performance_agreement.revised.v1"]
    deliver(registry, list(reversed(events)))  # the revision first, the signing after it
    assert repo.indicators.get(ikm["id"])["targets"]["2025"]["value"] == 75


def test_what_an_agreement_refuses(as_, tree, heads, repo):
    ikm = indicator_of(as_(), tree["pendidikan"])
    annual = indicator_of(as_(), tree["pendidikan"])
    other = indicator_of(as_(), tree["kesehatan"])
    operator = as_("operator", "pendidikan")
    with pytest.raises(Invalid) as foreign:
        draft_agreement(operator, agreement_body(as_, "pendidikan", other))
    assert "no active indicator of the agency" in str(foreign.value.errors)
    with pytest.raises(Invalid) as quarterly:
        draft_agreement(operator, agreement_body(as_, "pendidikan", annual, quarterly=(1, 1, 1, 1)))
    assert "quarterly_targets" in str(quarterly.value.errors)
    with pytest.raises(Invalid):
        draft_agreement(operator, {**agreement_body(as_, "pendidikan", ikm), "objectives": [
            {"objective_id": "no-plan:S1", "indicators": [{"indicator_id": ikm["id"], "target": {"value": 1}}]}]})
    draft = draft_agreement(operator, agreement_body(as_, "pendidikan", ikm))
    with pytest.raises(Conflict) as twice:
        draft_agreement(operator, agreement_body(as_, "pendidikan", ikm))
    assert twice.value.kind == "duplicate"
    with pytest.raises(Conflict) as draft_revision:
        revise_agreement(operator, draft["id"], {"reason": "x"}, None)
    assert draft_revision.value.kind == "draft"
    retire_indicator(as_(), ikm["id"], "diganti", None)
    with pytest.raises(Invalid):  # retired since it was drafted
        sign_agreement(operator, draft["id"], None)
    tree.add("baru", "work_unit", "tanjabbar", status="inactive")
    with pytest.raises(Invalid):
        draft_agreement(as_(), agreement_body(as_, "baru", annual))
    with pytest.raises(NotFound):
        sign_agreement(operator, "no-such", None)


def test_signing_needs_named_signatories_and_an_unlocked_year(as_, tree, repo):
    ikm = indicator_of(as_(), tree["kesehatan"])
    operator = as_("operator", "kesehatan")
    draft = draft_agreement(operator, agreement_body(as_, "kesehatan", ikm))
    with pytest.raises(Invalid) as no_head:
        sign_agreement(operator, draft["id"], None)
    assert "head" in no_head.value.errors
    named = update_draft(operator, draft["id"], {"head": {"name": "dr. Sari", "title": "Kepala Dinas Kesehatan"},
                                                 "superior": REGENT}, draft["version"])
    lock_period(as_("evaluator", "tanjabbar"), tree["tanjabbar"], "2025Q3", "tutup buku")
    with pytest.raises(Conflict) as locked:
        sign_agreement(operator, draft["id"], None)
    assert locked.value.kind == "period-locked"
    repo.locks.collection.delete_many({})
    agreement = sign_agreement(operator, named["id"], None)
    assert agreement["versions"][0]["superior"]["name"] == REGENT["name"]


# -- what a scorecard compares with ----------------------------------------------------------------

def test_scorecard_rows_show_the_plan_the_agreement_and_last_year(as_, tree, heads, repo):
    ikm = indicator_of(as_(), tree["pendidikan"], weight=2)
    rate = indicator_of(as_(), tree["pendidikan"], polarity="lower_is_better")
    plan = plan_of(as_, "pendidikan", [ikm, rate])
    verified_value(as_, ikm, "2024", 60, 80)
    verified_value(as_, rate, "2024", 12, 10)
    agreement = signed(as_, "pendidikan", ikm, target=80)
    verified_value(as_, ikm, "2025", 72)
    set_target(as_(), rate["id"], "2025", {"value": 10}, None)
    verified_value(as_, rate, "2025", 9)
    registry = HandlerRegistry()
    Scorer(repo).register(registry)
    deliver(registry, pending_events(repo.indicators, repo.realisations, repo.plans, repo.agreements))
    card = repo.scorecards.get(scorecard_id(tree["pendidikan"], "2025"))
    rows = {row["indicator_id"]: row for row in card["indicators"]}
    row = rows[ikm["id"]]
    assert (row["realised"], row["achievement"], row["category"]) == (72, 90.0, {"code": "tinggi",
                                                                                 "label": "Tinggi"})
    assert row["previous"] == {"period": "2024", "realised": 60, "achievement": 75.0}
    assert row["baseline"] == {"value": 60, "year": 2024} and (row["plan_target"], row["end_target"]) == (70, 90)
    assert row["progress"] == 80.0  # 72 of the plan's 90
    assert row["agreement"] == {"id": agreement["id"], "version": 1}
    assert row["objective"]["id"] == f"{plan['id']}:S1" and row["objective"]["goal"]["code"] == "T1"
    assert rows[rate["id"]]["agreement"] is None and rows[rate["id"]]["achievement"] == 110.0
    assert card["objectives"] == [{**row["objective"], "indicators": [r["indicator_id"] for r in card["indicators"]],
                                   "achievement": round((90 * 2 + 110) / 3, 2),
                                   "category": {"code": "sangat_tinggi", "label": "Sangat Tinggi"},
                                   "light": "green"}]
    assert card["own"]["category"] == {"code": "sangat_tinggi", "label": "Sangat Tinggi"}


def test_a_late_verification_of_last_year_updates_this_years_comparison(as_, tree, repo):
    ikm = indicator_of(as_(), tree["kesehatan"])
    verified_value(as_, ikm, "2025", 72, 80)
    registry = HandlerRegistry()
    Scorer(repo).register(registry)
    deliver(registry, pending_events(repo.indicators, repo.realisations))
    row = repo.scorecards.get(scorecard_id(tree["kesehatan"], "2025"))["indicators"][0]
    assert row["previous"] == {"period": "2024", "realised": None, "achievement": None}
    verified_value(as_, ikm, "2024", 60, 80)  # last year's report, verified late
    deliver(registry, pending_events(repo.indicators, repo.realisations))
    row = repo.scorecards.get(scorecard_id(tree["kesehatan"], "2025"))["indicators"][0]
    assert row["previous"] == {"period": "2024", "realised": 60, "achievement": 75.0}
    assert repo.scorecards.get(scorecard_id(tree["kesehatan"], "2026")) is None  # a year without a card gets none
