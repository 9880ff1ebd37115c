"""Where the indicators service keeps its aggregates (indicators, realisations, period locks, rule packs,
scorecards, roll-up weights: each an AggregateStore), its replica of the agency tree (the directory), the
processed-event ledger, and the queries its commands, scorer and reads need — built on one database, the
real one or an in-memory one in unit tests."""
from __future__ import annotations

from typing import Iterable

from pymongo.database import Database

from shared.auth.directory import AgencyDirectory, DirectoryReads
from shared.db import collection
from shared.replicas.agencies import AgencyReplica
from shared.settings import Settings
from shared.store.aggregates import AggregateStore
from shared.store.ledger import Ledger, ProcessedEvent
from shared.store.outbox import BOOKKEEPING_FIELDS
from services.indicators.adapters.documents import (AgencyWeight, Indicator, PerformanceAgreement, PeriodLock,
                                                    Realisation, ReformActivityRecord, ReportNarrative,
                                                    RulePackDocument, Scorecard, StrategicPlan)
from services.indicators.domain.narratives import NARRATIVE
from services.indicators.domain.agreements import AGREEMENT, SIGNED
from services.indicators.domain.plans import PLAN
from services.indicators.domain.achievement import RulePack
from services.indicators.domain.indicator import INDICATOR
from services.indicators.domain.locks import LOCK
from services.indicators.domain.rulepacks import RULEPACK, rule_pack_of
from services.indicators.domain.scorecard import SCORECARD, WEIGHT
from services.indicators.domain.workflow import REALISATION

# A scorecard as GET /scorecard serves it: what the read needs, no bookkeeping (its scope: `agency_path`).
CARD_READ = {"_id": 0, "agency_id": 0, "parent_id": 0, "period_start": 0, "version": 0, "created_at": 0,
             "updated_at": 0, **{name: 0 for name in BOOKKEEPING_FIELDS}}


class IndicatorsRepository(DirectoryReads):
    def __init__(self, *, indicators: AggregateStore, realisations: AggregateStore, locks: AggregateStore,
                 rulepacks: AggregateStore, scorecards: AggregateStore, weights: AggregateStore,
                 plans: AggregateStore, agreements: AggregateStore, narratives: AggregateStore,
                 reform_activities, directory: AgencyDirectory, ledger: Ledger):
        self.indicators = indicators
        self.realisations = realisations
        self.locks = locks
        self.rulepacks = rulepacks
        self.scorecards = scorecards
        self.weights_store = weights
        self.plans = plans
        self.agreements = agreements
        self.narratives = narratives
        self.reform_activities = reform_activities  # a plain collection: a replica, not an aggregate
        self.directory = directory
        self.ledger = ledger

    @classmethod
    def on(cls, db: Database, settings: Settings) -> "IndicatorsRepository":
        def store(document, kind, **options) -> AggregateStore:
            return AggregateStore(collection(db, document), kind, source=settings.service,
                                  max_pending=settings.outbox_max_pending, **options)
        return cls(indicators=store(Indicator, INDICATOR), realisations=store(Realisation, REALISATION),
                   locks=store(PeriodLock, LOCK), rulepacks=store(RulePackDocument, RULEPACK),
                   scorecards=store(Scorecard, SCORECARD), weights=store(AgencyWeight, WEIGHT),
                   plans=store(StrategicPlan, PLAN), agreements=store(PerformanceAgreement, AGREEMENT),
                   narratives=store(ReportNarrative, NARRATIVE),
                   reform_activities=collection(db, ReformActivityRecord),
                   directory=AgencyDirectory(collection(db, AgencyReplica)),
                   ledger=Ledger(collection(db, ProcessedEvent)))

    # -- indicators and realisations (the agency tree: DirectoryReads) ----------------------------

    def indicators_of(self, agency_ids: Iterable[str]) -> dict[str, list[dict]]:
        """The active indicators of each agency, by code, in one query."""
        found: dict[str, list[dict]] = {agency_id: [] for agency_id in agency_ids}
        for indicator in self.indicators.find({"agency_id": {"$in": list(found)}, "status": "active"},
                                              sort=[("code", 1)]):
            found[indicator["agency_id"]].append(indicator)
        return found

    def indicator_children(self, indicator_ids: Iterable[str]) -> list[dict]:
        return self.indicators.find({"parent_indicator_id": {"$in": list(indicator_ids)}}, sort=[("code", 1)])

    def realisations_of(self, indicator_ids: Iterable[str], periods: Iterable[str]) -> list[dict]:
        return self.realisations.find({"indicator_id": {"$in": list(indicator_ids)}, "period": {"$in": list(periods)}})

    def fed_by_culture(self, instrument_code: str, agency_ids: list[str]) -> list[dict]:
        """Active indicators of these agencies fed by a culture instrument."""
        return self.indicators.find({"fed_by_culture.instrument": instrument_code, "agency_id": {"$in": agency_ids},
                                     "status": "active"}, hint=[("fed_by_culture.instrument", 1), ("agency_id", 1)])

    def pending_counts(self, agency_ids: Iterable[str], periods: Iterable[str]) -> list[dict]:
        """Realisations holding a reform count that arrived while their period was locked."""
        return self.realisations.find({"agency_id": {"$in": list(agency_ids)}, "period": {"$in": list(periods)},
                                       "pending_count": {"$exists": True}})

    # -- locks, rule packs, weights, scorecards ----------------------------------------------------

    def locks_covering(self, agency_ids: Iterable[str], periods: Iterable[str]) -> list[dict]:
        return self.locks.find({"period": {"$in": list(periods)}, "agency_id": {"$in": list(agency_ids)}, "locked": True})

    def rule_packs(self) -> list[RulePack]:
        return [rule_pack_of(doc) for doc in self.rulepacks.find({}, sort=[("number", 1)])]

    def weights(self, agency_ids: Iterable[str]) -> dict[str, float]:
        return {doc["id"]: doc["weight"] for doc in self.weights_store.find({"_id": {"$in": list(agency_ids)}})}

    def scorecards_by_id(self, card_ids: Iterable[str], *, rollup_only: bool = False,
                         rows_only: bool = False) -> dict[str, dict]:
        """Cards by id; `rollup_only`: just their roll-up and version (what a parent's row needs); `rows_only`:
        just their children's rows (which versions of the children's cards they reflect)."""
        skipped = ("own", "indicators", "agency", "agency_path", *(("children",) if rollup_only else ()),
                   *(("rollup",) if rows_only else ()))
        fields = {name: 0 for name in skipped} if rollup_only or rows_only else None
        return {doc["id"]: doc for doc in self.scorecards.find({"_id": {"$in": list(card_ids)}}, fields=fields)}

    def scorecard_periods_of(self, agency_ids: Iterable[str]) -> dict[str, set[str]]:
        """The periods each agency has a scorecard for (agencies without any are left out)."""
        periods: dict[str, set[str]] = {}
        agency_ids = list(agency_ids)
        if not agency_ids:
            return periods
        for doc in self.scorecards.collection.find({"agency_id": {"$in": agency_ids}}, {"agency_id": 1, "period": 1}):
            periods.setdefault(doc["agency_id"], set()).add(doc["period"])
        return periods

    def scorecards_from(self, day: str) -> list[tuple[str, str]]:
        """(agency, period) of every scorecard whose period starts on or after `day` (ISO date)."""
        return [(doc["agency_id"], doc["period"]) for doc in self.scorecards.collection.find(
            {"period_start": {"$gte": day}}, {"agency_id": 1, "period": 1})]

    def scorecard_for_reading(self, card_id: str) -> dict | None:
        """A scorecard as GET serves it, in one round trip: the stored card with its scope (`agency_path`)."""
        return self.scorecards.collection.find_one({"_id": card_id}, CARD_READ)

    # -- strategic plans and performance agreements ---------------------------------------------

    def plans_covering(self, agency_ids: Iterable[str], year: int) -> dict[str, dict]:
        """The active plan of each agency whose years include `year` (agencies without one left out)."""
        found = {}
        for plan in self.plans.find({"agency_id": {"$in": list(agency_ids)}, "start_year": {"$lte": year}},
                                    sort=[("agency_id", 1), ("start_year", 1)]):
            if plan["end_year"] >= year and plan["status"] == "active":
                found[plan["agency_id"]] = plan
        return found

    def overlapping_plans(self, agency_id: str, start_year: int, end_year: int) -> list[dict]:
        return [plan for plan in self.plans.find({"agency_id": agency_id, "start_year": {"$lte": end_year}},
                                                 fields={"goals": 0, "history": 0})
                if plan["end_year"] >= start_year and plan["status"] == "active"]

    def objective_owners(self, objective_ids: Iterable[str]) -> dict[str, str]:
        """The agency whose plan holds each objective (unknown ones left out)."""
        wanted = set(objective_ids)
        owners = {}
        for plan in self.plans.collection.find({"objective_ids": {"$in": list(wanted)}},
                                               {"agency_id": 1, "objective_ids": 1}):
            owners.update({o: plan["agency_id"] for o in plan["objective_ids"] if o in wanted})
        return owners

    def agreements_in_force(self, agency_ids: Iterable[str], years: Iterable[int]) -> dict[tuple[str, int], dict]:
        """The signed agreement of each (agency, year): its id, version in force and indicators."""
        return {(doc["agency_id"], doc["year"]): {"id": doc["_id"], "version": doc["version_in_force"],
                                                  "indicator_ids": doc.get("indicator_ids", [])}
                for doc in self.agreements.collection.find(
                    {"year": {"$in": list(years)}, "agency_id": {"$in": list(agency_ids)}, "status": SIGNED},
                    {"agency_id": 1, "year": 1, "version_in_force": 1, "indicator_ids": 1})}

    def agreement_holding(self, indicator_id: str) -> dict | None:
        """A signed agreement (any year) holding the indicator, if any."""
        doc = self.agreements.collection.find_one({"indicator_ids": indicator_id, "status": SIGNED},
                                                  {"version_in_force": 1})
        return None if doc is None else {"id": doc["_id"], "version_in_force": doc["version_in_force"]}

    def agreement_freezing(self, indicator_id: str, period: str) -> dict | None:
        """The signed agreement that sets the indicator's target of the period, if any."""
        doc = self.agreements.collection.find_one({"frozen_targets": f"{indicator_id}:{period}", "status": SIGNED},
                                                  {"version_in_force": 1})
        return None if doc is None else {"id": doc["_id"], "version_in_force": doc["version_in_force"]}

    # -- what the annual report reads ------------------------------------------------------------

    def record_reform_activity(self, activity: dict, summary: str | None, outcomes: list[str]) -> None:
        """Keep a completed activity (a redelivery writes the same again)."""
        fields = ("title", "kind", "area", "organiser_agency_id", "start", "end", "linked_indicator_ids",
                  "attended", "registered")
        self.reform_activities.replace_one({"_id": activity["id"]}, {
            "_id": activity["id"], **{k: activity.get(k) for k in fields}, "summary": summary,
            "outcomes": list(outcomes)}, upsert=True)

    def reform_activities_linked(self, indicator_ids: Iterable[str], year: int) -> list[dict]:
        """Completed activities linked to any of the indicators that ended in `year`, by end."""
        found = self.reform_activities.find({"linked_indicator_ids": {"$in": list(indicator_ids)},
                                             "end": {"$gte": f"{year}", "$lt": f"{year + 1}"}}).sort([("end", 1)])
        return [{"id": doc.pop("_id"), **doc} for doc in found]
