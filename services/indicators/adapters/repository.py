"""Where the indicators service keeps its aggregates (indicators, realisations, period locks, rule packs,
scorecards: each an AggregateStore) and the queries its commands, scorer and reads need, including its
replica of the agency tree."""
from __future__ import annotations

from datetime import date
from typing import Iterable

from shared.replicas.agencies import AgencyReplicaReads
from shared.settings import Settings
from shared.store.aggregates import AggregateStore
from services.indicators.adapters.documents import (AgencyWeight, Indicator, PeriodLock, Realisation,
                                                    RulePackDocument, Scorecard)
from services.indicators.domain.achievement import RulePack



class IndicatorsRepository(AgencyReplicaReads):
    def __init__(self, settings: Settings):
        self.indicators = AggregateStore.of(Indicator, settings)
        self.realisations = AggregateStore.of(Realisation, settings)
        self.locks = AggregateStore.of(PeriodLock, settings)
        self.rulepacks = AggregateStore.of(RulePackDocument, settings)
        self.scorecards = AggregateStore.of(Scorecard, settings)
        self.weights_store = AggregateStore.of(AgencyWeight, settings)

    # -- roll-up weights (the agency tree itself: AgencyReplicaReads) ---------------------------

    def weights(self, agency_ids: Iterable[str]) -> dict[str, float]:
        return {doc["id"]: doc["weight"] for doc in self.weights_store.find({"_id": {"$in": list(agency_ids)}})}

    # -- indicators and realisations -------------------------------------------------------------

    def indicators_of(self, agency_id: str, *, active_only: bool = True) -> list[dict]:
        selector = {"agency_id": agency_id, **({"status": "active"} if active_only else {})}
        return self.indicators.find(selector, sort=[("code", 1)])

    def indicator_children(self, indicator_ids: Iterable[str]) -> list[dict]:
        return self.indicators.find({"parent_indicator_id": {"$in": list(indicator_ids)}}, sort=[("code", 1)])

    def realisations_of(self, indicator_ids: Iterable[str], periods: Iterable[str]) -> list[dict]:
        return self.realisations.find({"indicator_id": {"$in": list(indicator_ids)}, "period": {"$in": list(periods)}})

    # -- locks, rule packs, scorecards ---------------------------------------------------------------

    def locks_covering(self, agency_ids: Iterable[str], periods: Iterable[str]) -> list[dict]:
        return self.locks.find({"period": {"$in": list(periods)}, "agency_id": {"$in": list(agency_ids)}, "locked": True})

    def rule_packs(self) -> list[RulePack]:
        return [rule_pack_of(doc) for doc in self.rulepacks.find({}, sort=[("effective_from", 1)])]

    def scorecards_of(self, agency_ids: Iterable[str], period: str) -> dict[str, dict]:
        return {doc["agency_id"]: doc for doc in
                self.scorecards.find({"_id": {"$in": [f"{a}:{period}" for a in agency_ids]}})}

    def scorecard_periods_of(self, agency_ids: list[str]) -> dict[str, set[str]]:
        """The periods each agency has a scorecard for (agencies without any are left out)."""
        if not agency_ids:
            return {}
        periods: dict[str, set[str]] = {}
        for doc in self.scorecards.collection.find({"agency_id": {"$in": agency_ids}}, {"agency_id": 1, "period": 1}):
            periods.setdefault(doc["agency_id"], set()).add(doc["period"])
        return periods


def rule_pack_of(doc: dict) -> RulePack:
    return RulePack(version=doc["number"], effective_from=date.fromisoformat(doc["effective_from"]), cap=doc["cap"],
                    bands=tuple((band["grade"], float("-inf") if band["above"] is None else band["above"])
                                for band in doc["bands"]),
                    green_from=doc["green_from"], yellow_from=doc["yellow_from"], description=doc.get("description", ""))


def rule_pack_document(pack: RulePack, created_by: str) -> dict:
    return {"id": str(pack.version), "number": pack.version, "effective_from": pack.effective_from.isoformat(),
            "cap": pack.cap, "bands": [{"grade": grade, "above": None if above == float("-inf") else above}
                                       for grade, above in pack.bands],
            "green_from": pack.green_from, "yellow_from": pack.yellow_from, "description": pack.description,
            "created_by": created_by}
