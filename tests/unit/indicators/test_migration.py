"""Documents of the first release keep working: a copy of what version 1 stored for a small scored tree
(`data/version1.json`, dumped from that release's code) is migrated at start-up, idempotently; its cards stay
as they were, scored by version 1, until an admin makes version 2 effective for their periods."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from bson import json_util

from shared.events.handlers import HandlerRegistry
from shared.settings import load_settings
from services.indicators.adapters.migrations import migrate
from services.indicators.commands.rulepacks import make_effective
from services.indicators.consumers.scorecards import Scorer
from services.indicators.domain.achievement import rule_pack_for
from services.indicators.service import SERVICE
from tests.support.fakes import ADMIN, fake_database, pending_events
from tests.support.pump import deliver
from services.indicators.commands.common import IndicatorsContext

COPY = json_util.loads((Path(__file__).parent / "data" / "version1.json").read_text())


def first_release_database():
    settings = load_settings(SERVICE.spec, {"KINERJA_JWT_SECRET": "x" * 32})
    repo = SERVICE.repository(fake_database(SERVICE.documents), settings)
    for name, docs in COPY.items():
        repo.indicators.collection.database[name].insert_many([dict(d) for d in docs])
    return repo


def test_version_1_documents_are_migrated_once_and_keep_their_scores():
    repo = first_release_database()
    scores_before = {d["_id"]: (d["own"]["score"], d["rollup"]["score"], d["rulepack_version"])
                     for d in COPY["scorecards"]}
    SERVICE.startup(repo)
    pack = repo.rulepacks.get("1")
    assert pack["method"] == "mean_of_periods" and pack["formulas"]["lower_is_better"] == "inverse_ratio"
    assert pack["bands"][0] == {"code": "AA", "label": "AA", "min": 90, "inclusive": False}
    assert repo.rulepacks.get("2")["effective_from"] is None  # proposed: version 1 still scores every period
    assert [p.version for p in repo.rule_packs()] == [1, 2] and rule_pack_for(repo.rule_packs(), date(2025, 1, 1)).version == 1
    assert {i["aggregation"] for i in repo.indicators.find({})} == {"average"}
    cards = {c["id"]: c for c in repo.scorecards.find({})}
    assert {k: (c["own"]["score"], c["rollup"]["score"], c["rulepack_version"]) for k, c in cards.items()} == scores_before
    row = next(c for c in cards.values() if c["indicators"])["indicators"][0]
    assert row["indicator_category"] == "IKU" and row["category"]["code"] in {"AA", "A", "BB", "B", "CC", "C", "D"}
    assert all(c["format"] == 2 for c in cards.values())
    versions = {c["id"]: c["version"] for c in cards.values()}
    assert migrate(repo) == {"rulepacks": 0, "indicators": 0, "scorecards": 0, "agreements": 0, "ledger_index": 0}  # nothing more
    SERVICE.startup(repo)
    assert {c["id"]: c["version"] for c in repo.scorecards.find({})} == versions
    assert len(repo.rule_packs()) == 2


def test_making_version_2_effective_rescores_the_cards_of_its_periods_and_says_so():
    repo = first_release_database()
    SERVICE.startup(repo)
    ctx = IndicatorsContext(ADMIN, repo)
    quarterly_year = next(c for c in repo.scorecards.find({}) if c["period"] == "2025" and c["indicators"])
    assert quarterly_year["own"]["grade"] in {"AA", "A", "BB", "B", "CC", "C", "D"}
    make_effective(ctx, "2", date(2025, 1, 1), "SAKIP 2025: agregasi per indikator")
    registry = HandlerRegistry()
    Scorer(repo).register(registry)
    deliver(registry, [e for e in pending_events(repo.rulepacks) if e.type == "kinerja.rulepack.made_effective.v1"])
    rescored = repo.scorecards.get(quarterly_year["id"])
    assert rescored["rulepack_version"] == 2 and rescored["rescored_from_version"] == 1
    assert rescored["own"]["category"]["code"] in {"sangat_tinggi", "tinggi", "sedang", "rendah", "sangat_rendah"}
    rows = {row["code"]: row for row in rescored["indicators"]}
    # IKU-02 (quarterly, average): Q1 20 and Q2 30 verified → 25, partial 2 of 4; targets of Q1 and Q2 only, so
    # the year has none (version 1 took the mean of the two quarters' achievements instead).
    assert (rows["IKU-02"]["realised"], rows["IKU-02"]["partial"], rows["IKU-02"]["not_computable"]) == (
        25, True, "no target")
    assert rows["IKU-01"]["achievement"] == 90.0 and rows["IKU-01"]["category"]["label"] == "Tinggi"


def test_the_ledgers_old_unique_index_is_dropped_once(repo):
    ledger = repo.ledger.collection
    ledger.create_index([("consumer", 1), ("event_id", 1)], unique=True, name="consumer_1_event_id_1")
    assert migrate(repo)["ledger_index"] == 1
    assert "consumer_1_event_id_1" not in ledger.index_information()
    assert migrate(repo)["ledger_index"] == 0
