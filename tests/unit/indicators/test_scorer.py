"""The scorer on fakes: it climbs the tree within one flush, a score.changed that comes back changes
nothing, a card another worker wrote meanwhile is computed again, and a card that cannot be stored makes
the flush fail rather than vanish."""
from __future__ import annotations

import pytest

from shared.events.envelope import Event
from shared.events.handlers import HandlerRegistry
from services.indicators.commands.indicators import set_target
from services.indicators.consumers.scorecards import Scorer
from services.indicators.domain.scorecard import scorecard_id
from tests.support.fakes import pending_events
from tests.support.pump import deliver
from tests.unit.indicators.conftest import indicator_of, verified_value


@pytest.fixture
def scorer(repo):
    return Scorer(repo)


@pytest.fixture
def scoring(scorer):
    registry = HandlerRegistry()
    scorer.register(registry)
    return registry


def events_since(repo, seen: set[str], *types: str) -> list[Event]:
    """Events written since the ids in `seen` (which it extends), of the given types."""
    fresh = [e for e in pending_events(repo.realisations, repo.scorecards, repo.indicators, repo.weights_store)
             if e.id not in seen and (not types or e.type in types)]
    seen.update(e.id for e in fresh)
    return fresh


def card(repo, name_id: str, period: str) -> dict | None:
    return repo.scorecards.get(scorecard_id(name_id, period))


def test_a_verified_month_reaches_the_province_in_one_flush(repo, tree, as_, scoring):
    """bidang_sd (monthly, March 9 of 10 → 90) under pendidikan (annual, 60 of 100) under tanjabbar under jambi."""
    seen: set[str] = set()
    verified_value(as_, indicator_of(as_(), tree["pendidikan"]), "2025", 60, 100)
    monthly = indicator_of(as_(), tree["bidang_sd"], frequency="monthly")
    for period in ("2025Q1", "2025"):  # an average's quarter and year have targets of their own
        set_target(as_(), monthly["id"], period, {"value": 10}, None)
    verified_value(as_, monthly, "202503", 9, 10)
    verifications = events_since(repo, seen, "kinerja.realisation.verified.v1")
    deliver(scoring, verifications)  # one batch, one flush
    assert card(repo, tree["bidang_sd"], "202503")["own"]["score"] == 90.0
    assert card(repo, tree["bidang_sd"], "2025Q1")["own"]["score"] == 90.0
    assert card(repo, tree["pendidikan"], "2025")["rollup"]["score"] == 75.0  # (60 + 90) / 2
    assert card(repo, tree["tanjabbar"], "2025")["rollup"]["score"] == 75.0
    assert card(repo, tree["jambi"], "2025")["rollup"]["score"] == 75.0
    assert card(repo, tree["jambi"], "2025Q1")["rollup"]["score"] == 90.0  # only bidang_sd reports in Q1
    changed = events_since(repo, seen, "kinerja.score.changed.v1")
    assert {(e.data["scorecard"]["agency_id"], e.data["scorecard"]["period"]) for e in changed} == {
        (tree[name], period) for name in ("bidang_sd", "pendidikan", "tanjabbar", "jambi")
        for period in ("202503", "2025Q1", "2025")}
    versions = {doc["id"]: doc["version"] for doc in repo.scorecards.find({})}
    deliver(scoring, changed)  # the events come back through Kafka: every parent reflects them already
    assert {doc["id"]: doc["version"] for doc in repo.scorecards.find({})} == versions


def test_a_child_change_keeps_the_parents_own_part(repo, tree, as_, scoring, scorer, monkeypatch):
    seen: set[str] = set()
    verified_value(as_, indicator_of(as_(), tree["pendidikan"]), "2025", 60, 100)
    verified_value(as_, indicator_of(as_(), tree["kesehatan"]), "2025", 80, 100)
    deliver(scoring, events_since(repo, seen))
    loads = []
    indicators_of = repo.indicators_of
    monkeypatch.setattr(repo, "indicators_of", lambda ids: loads.append(set(ids)) or indicators_of(ids))
    verified_value(as_, indicator_of(as_(), tree["kesehatan"]), "2025", 100, 100)
    deliver(scoring, events_since(repo, seen))
    assert loads == [{tree["kesehatan"]}]  # the parents' roll-ups only: their own indicators are not read again
    assert card(repo, tree["tanjabbar"], "2025")["rollup"]["score"] == 75.0  # (60 + 90) / 2


def test_rule_packs_are_loaded_once_per_flush(repo, tree, as_, scoring, monkeypatch):
    seen: set[str] = set()
    for name in ("pendidikan", "kesehatan", "bidang_sd"):
        verified_value(as_, indicator_of(as_(), tree[name]), "2025", 50, 100)
    loads = []
    rule_packs = repo.rule_packs
    monkeypatch.setattr(repo, "rule_packs", lambda: loads.append(1) or rule_packs())
    deliver(scoring, events_since(repo, seen))
    assert loads == [1] and card(repo, tree["jambi"], "2025")["rollup"]["score"] == 50.0


def test_a_card_written_by_another_worker_meanwhile_is_computed_again(repo, tree, as_, scoring, monkeypatch):
    seen: set[str] = set()
    indicator = indicator_of(as_(), tree["kesehatan"])
    verified_value(as_, indicator, "2025", 50, 100)
    deliver(scoring, events_since(repo, seen))
    apply_many, raced = repo.scorecards.apply_many, []

    def another_worker_first(writes):
        if not raced:  # the other worker stores a card between our read and our write
            raced.append(writes[0][0])
            repo.scorecards.collection.update_one({"_id": writes[0][0]}, {"$inc": {"version": 1}})
        return apply_many(writes)
    monkeypatch.setattr(repo.scorecards, "apply_many", another_worker_first)
    set_and_verify = verified_value(as_, indicator_of(as_(), tree["kesehatan"]), "2025", 100, 100)
    assert set_and_verify["status"] == "verified"
    deliver(scoring, events_since(repo, seen))
    assert raced and card(repo, tree["kesehatan"], "2025")["own"]["score"] == 75.0


def test_a_card_that_cannot_be_stored_fails_the_flush_instead_of_vanishing(repo, tree, as_, scoring, monkeypatch):
    verified_value(as_, indicator_of(as_(), tree["kesehatan"]), "2025", 50, 100)
    deliver(scoring, events_since(repo, set()))
    verified_value(as_, indicator_of(as_(), tree["kesehatan"]), "2025", 100, 100)

    def always_lost(writes):
        return set()  # someone else, again, every time
    monkeypatch.setattr(repo.scorecards, "apply_many", always_lost)
    with pytest.raises(RuntimeError, match="kept changing"):  # the runner then commits nothing and retries
        deliver(scoring, events_since(repo, set(), "kinerja.realisation.verified.v1"))
