"""Documents stored by earlier versions, brought to today's shape at start-up (idempotent, safe to run by
the API and the worker at once: each step only touches documents still in the old shape, and writes a card
only if it is still at the version read).

- rule packs of version 1 stored bands as {grade, above} and had no method or formulas;
- indicators had no aggregation: `average` (nearest to how version 1 scored a longer period);
- scorecards of format 1 had the indicator's IKU/IKK `category` on their rows and no achievement category;
- signed performance agreements stored before `frozen_targets` was kept freeze nothing without it;
- the processed-event ledger was unique per event, not per event and key (shared.store.ledger.Ledger.upgrade).
"""
from __future__ import annotations

import logging

from pymongo import UpdateOne

from services.indicators.domain.achievement import MEAN_OF_PERIODS, NEAREST_BOUND, RulePack
from services.indicators.domain.agreements import SIGNED, frozen_targets, in_force
from services.indicators.domain.aggregation import AVERAGE
from services.indicators.domain.rulepacks import rule_pack_of, version_1_bands
from services.indicators.domain.scorecard import CARD_FORMAT

log = logging.getLogger(__name__)
BATCH = 500


def migrate(repo) -> dict[str, int]:
    """Run every step; returns how many documents each changed."""
    done = {"rulepacks": _rule_packs(repo), "indicators": _indicators(repo), "scorecards": _scorecards(repo),
            "agreements": _agreements(repo), "ledger_index": int(repo.ledger.upgrade())}
    if any(done.values()):
        log.info("migrated documents of an earlier version: %s", done)
    return done


def _rule_packs(repo) -> int:
    changed = 0
    for doc in repo.rulepacks.collection.find({"method": {"$exists": False}}):
        result = repo.rulepacks.collection.update_one({"_id": doc["_id"], "method": {"$exists": False}}, {"$set": {
            "method": MEAN_OF_PERIODS, "range_rule": NEAREST_BOUND, "floor": 0.0,
            "formulas": {"higher_is_better": "ratio", "lower_is_better": "inverse_ratio"},
            "bands": version_1_bands(doc["bands"]) if doc["bands"] and "grade" in doc["bands"][0] else doc["bands"]}})
        changed += result.modified_count
    return changed


def _indicators(repo) -> int:
    return repo.indicators.collection.update_many({"aggregation": {"$exists": False}},
                                                  {"$set": {"aggregation": AVERAGE}}).modified_count


def _agreements(repo) -> int:
    changed = 0
    for doc in repo.agreements.collection.find({"status": SIGNED, "frozen_targets": {"$exists": False}},
                                               {"versions": 1, "version_in_force": 1, "year": 1}):
        frozen = frozen_targets(in_force(doc), doc["year"])
        changed += repo.agreements.collection.update_one({"_id": doc["_id"], "frozen_targets": {"$exists": False}},
                                                         {"$set": {"frozen_targets": frozen}}).modified_count
    return changed


def _category(rules: RulePack, score):
    if score is None:
        return None
    band = rules.category(score)
    return {"code": band.code, "label": band.label}


def _scorecards(repo) -> int:
    packs = {pack.version: pack for pack in (rule_pack_of(doc) for doc in repo.rulepacks.collection.find({}))}
    changed = idle = 0
    while idle < 5:
        docs = list(repo.scorecards.collection.find({"format": {"$exists": False}}).limit(BATCH))
        if not docs:
            return changed
        writes = []
        for doc in docs:
            rules = packs.get(doc.get("rulepack_version") or 1) or packs.get(1)
            rows = [{**{k: v for k, v in row.items() if k != "category"}, "indicator_category": row.get("category"),
                     "category": _category(rules, row.get("achievement")), "partial":
                     row.get("periods_verified", 0) < row.get("periods_expected", 0)}
                    for row in doc.get("indicators", ())]
            children = [{**row, "category": _category(rules, row.get("score"))} for row in doc.get("children", ())]
            own, rollup = doc.get("own") or {}, doc.get("rollup") or {}
            writes.append(UpdateOne({"_id": doc["_id"], "version": doc["version"], "format": {"$exists": False}},
                                    {"$set": {"indicators": rows, "children": children, "objectives": [],
                                              "own": {**own, "category": _category(rules, own.get("score"))},
                                              "rollup": {**rollup, "category": _category(rules, rollup.get("score"))},
                                              "format": CARD_FORMAT}}))
        written = repo.scorecards.collection.bulk_write(writes, ordered=False).modified_count
        # A card rewritten meanwhile by the scorer has the new format; one still old here is read again.
        changed, idle = changed + written, 0 if written else idle + 1
    log.warning("scorecards of format 1 kept changing during the migration; the scorer rewrites them")
    return changed
