"""Where the reforms service keeps its aggregates (activities, follow-ups: each an AggregateStore) and the
queries its commands and reads need, including its replicas of the agency tree and of indicators."""
from __future__ import annotations

from typing import Iterable

from shared.replicas.agencies import AgencyReplicaReads
from shared.settings import Settings
from shared.store.aggregates import AggregateStore
from services.reforms.adapters.documents import Activity, FollowUp, IndicatorReplica

# What a summary reads of an activity: never the participant list.
SUMMARY_FIELDS = {"organiser_agency_id": 1, "area": 1, "status": 1, "planned_participants": 1, "registered": 1,
                  "attended": 1, "_id": 0}
INDICATOR_FIELDS = {"agency_id": 1, "code": 1, "name": 1, "status": 1, "fed_by_reforms": 1}



class ReformsRepository(AgencyReplicaReads):
    def __init__(self, settings: Settings):
        self.activities = AggregateStore.of(Activity, settings)
        self.follow_ups = AggregateStore.of(FollowUp, settings)

    # -- indicators (replica) --------------------------------------------------------------------

    def indicators(self, indicator_ids: Iterable[str]) -> dict[str, dict]:
        docs = IndicatorReplica._get_collection().find({"_id": {"$in": list(set(indicator_ids))}}, INDICATOR_FIELDS)
        return {doc["_id"]: {"id": doc.pop("_id"), **doc} for doc in docs}

    # -- what a summary counts -------------------------------------------------------------------
    # Each names its index: where several indexes could serve a query, SecantusDB races every candidate
    # plan on every query (measured: 20 ms instead of 5 for a regency's activities); MongoDB caches the
    # winner, so the hint changes nothing there.

    def organised_in(self, agency_ids: list[str], year: int) -> list[dict]:
        return list(self.activities.collection.find({"organiser_agency_id": {"$in": agency_ids}, "year": year},
                                                    SUMMARY_FIELDS).hint([("organiser_agency_id", 1), ("year", 1)]))

    def participation_of(self, agency_ids: list[str], year: int) -> list[dict]:
        return list(self.activities.collection.find({"participant_agency_ids": {"$in": agency_ids}, "year": year},
                                                    {"status": 1, "by_agency": 1, "_id": 0})
                    .hint([("participant_agency_ids", 1), ("year", 1)]))

    def follow_ups_owned_by(self, agency_ids: list[str], year: int) -> list[dict]:
        return list(self.follow_ups.collection.find({"owner_agency_id": {"$in": agency_ids}, "activity_year": year},
                                                    {"owner_agency_id": 1, "status": 1, "due": 1, "_id": 0})
                    .hint([("owner_agency_id", 1), ("activity_year", 1)]))
