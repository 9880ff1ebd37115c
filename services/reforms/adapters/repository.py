"""Where the reforms service keeps its aggregates (activities, follow-ups, change commitments, instruments,
surveys: each an AggregateStore), the survey answers, its replicas of the agency tree (the directory) and of
indicators, and the queries its commands and reads need — built on one database, the real one or an in-memory one in unit tests."""
from __future__ import annotations

import time
from typing import Iterable

from pymongo import UpdateOne
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from shared.auth.directory import AgencyDirectory, DirectoryReads
from shared.db import collection
from shared.replicas.agencies import AgencyReplica
from shared.settings import Settings
from shared.store.aggregates import AggregateStore
from services.reforms.adapters.documents import (Activity, Commitment, FollowUp, IndicatorReplica, Instrument, Survey,
                                                 SurveyAnswer, SurveyRespondent)
from services.reforms.domain.activity import ACTIVITY, FOLLOW_UP
from services.reforms.domain.commitments import COMMITMENT
from services.reforms.domain.instruments import INSTRUMENT
from services.reforms.domain.survey import SURVEY

# What a summary reads of an activity: never the participant list.
SUMMARY_FIELDS = {"organiser_agency_id": 1, "area": 1, "status": 1, "planned_participants": 1, "registered": 1,
                  "attended": 1, "_id": 0}
INDICATOR_FIELDS = {"agency_id": 1, "code": 1, "name": 1, "status": 1, "fed_by_reforms": 1}


class ReformsRepository(DirectoryReads):
    def __init__(self, *, activities: AggregateStore, follow_ups: AggregateStore, commitments: AggregateStore,
                 instruments: AggregateStore,
                 surveys: AggregateStore, answers: Collection, respondents: Collection, directory: AgencyDirectory,
                 indicator_replica: Collection):
        self.activities = activities
        self.follow_ups = follow_ups
        self.commitments = commitments
        self.instruments = instruments
        self._instruments_in_use: dict[str, dict] = {}
        self.surveys = surveys
        self.answers = answers
        self.respondents = respondents
        self.directory = directory
        self.indicator_replica = indicator_replica

    @classmethod
    def on(cls, db: Database, settings: Settings) -> "ReformsRepository":
        def store(document, kind, internal=()) -> AggregateStore:
            return AggregateStore(collection(db, document), kind, source=settings.service,
                                  max_pending=settings.outbox_max_pending, internal_fields=internal)
        return cls(activities=store(Activity, ACTIVITY), follow_ups=store(FollowUp, FOLLOW_UP),
                   commitments=store(Commitment, COMMITMENT),
                   instruments=store(Instrument, INSTRUMENT), surveys=store(Survey, SURVEY, internal=("salt",)),
                   answers=collection(db, SurveyAnswer), respondents=collection(db, SurveyRespondent),
                   directory=AgencyDirectory(collection(db, AgencyReplica)),
                   indicator_replica=collection(db, IndicatorReplica))

    # -- indicators (replica; the agency tree: DirectoryReads) -----------------------------------

    def indicators(self, indicator_ids: Iterable[str]) -> dict[str, dict]:
        docs = self.indicator_replica.find({"_id": {"$in": list(set(indicator_ids))}}, INDICATOR_FIELDS)
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

    # -- surveys -----------------------------------------------------------------------------------

    # The survey roster: who may answer an activity's surveys, by NIP, in small documents of their own, so that an
    # answer does not read a list of thousands (SecantusDB reads the whole document for any part of a list: 2.6 ms
    # for 2,000 participants, against 0.3 for a roster entry). It names only participants: an entry is written after
    # its registration and removed before its withdrawal, and a missing one is looked up in the activity itself.

    def remember_respondents(self, activity_id: str, participants: list[dict]) -> None:
        entries = [UpdateOne({"_id": f"{activity_id}:{p['nip']}"}, {"$set": {
            "activity_id": activity_id, "participant": {k: p[k] for k in ("id", "agency_id", "name", "nip")}}},
            upsert=True) for p in participants if p.get("nip")]
        if entries:
            self.respondents.bulk_write(entries, ordered=False)

    def forget_respondent(self, activity_id: str, participant: dict) -> None:
        if participant.get("nip"):
            self.respondents.delete_one({"_id": f"{activity_id}:{participant['nip']}"})

    def participant_by_nip(self, activity_id: str, nip: str) -> tuple[str | None, dict | None]:
        """The activity's status and its participant registered with this NIP (None if there is none)."""
        status = self.activities.collection.find_one({"_id": activity_id}, {"status": 1})
        if status is None:
            return None, None
        entry = self.respondents.find_one({"_id": f"{activity_id}:{nip}"})
        if entry is not None:
            return status["status"], entry["participant"]
        doc = self.activities.collection.find_one({"_id": activity_id}, {"participants": {"$elemMatch": {"nip": nip}}})
        found = next(iter((doc or {}).get("participants") or []), None)
        if found is not None:
            self.remember_respondents(activity_id, [found])  # registered before the roster existed, or interrupted
        return status["status"], found

    def instrument(self, instrument_id: str) -> dict | None:
        """An instrument a survey uses: in use, so never changed again, and kept in this process once read."""
        found = self._instruments_in_use.get(instrument_id)
        if found is None:
            found = self.instruments.get(instrument_id)
            if found is not None and found["in_use"]:
                self._instruments_in_use[instrument_id] = found
        return found

    def count_answer(self, survey_id: str, phase: str, step: int = 1) -> bool:
        """Count one answer more (or, with step −1, one fewer) while the phase is open; False when it is not."""
        return self.surveys.collection.update_one(
            {"_id": survey_id, f"{phase}.status": "open"} if step > 0 else {"_id": survey_id},
            {"$inc": {f"answered.{phase}": step}}).matched_count == 1

    def add_answer(self, answer: dict) -> bool:
        """Store an answer; False when this respondent answered this phase already."""
        try:
            self.answers.insert_one(answer)
        except DuplicateKeyError:
            return False
        return True

    def answered(self, survey_id: str, phase: str) -> int:
        doc = self.surveys.collection.find_one({"_id": survey_id}, {"answered": 1})
        return (doc or {}).get("answered", {}).get(phase, 0)

    def settled_answers(self, survey_id: str, phase: str, expected: int, timeout_s: float) -> list[dict]:
        """The phase's answers once the `expected` ones counted are all stored (each was one insert away when its
        phase stopped taking answers), or what is stored after `timeout_s` (a process that died in between)."""
        deadline = time.monotonic() + timeout_s
        while True:
            answers = self.answers_of(survey_id, phase)
            if len(answers) >= expected or time.monotonic() >= deadline:
                return answers
            time.sleep(0.02)

    def answers_of(self, survey_id: str, phase: str) -> list[dict]:
        """What results are computed from: each answer's respondent key, agency and scores (never the items)."""
        return list(self.answers.find({"survey_id": survey_id, "phase": phase},
                                      {"respondent": 1, "agency_id": 1, "scores": 1, "_id": 0})
                    .hint([("survey_id", 1), ("phase", 1)]))

    def paths(self, agency_ids: Iterable[str]) -> dict[str, list[str]]:
        """Each agency's ancestors as the replica knows them now (an answer is counted where its agency is when the
        phase closes, not where it was when it answered)."""
        return {agency_id: list(agency.get("path", [])) for agency_id, agency in self.agencies(agency_ids).items()}

    def closed_surveys_covering(self, agency_id: str, year: int) -> list[dict]:
        """Surveys of a year whose closed post phase shows a number for the agency's subtree."""
        return self.surveys.find({"rollup_agency_ids": agency_id, "activity_year": year},
                                 hint=[("rollup_agency_ids", 1), ("activity_year", 1)])

    # -- change commitments ------------------------------------------------------------------------

    def overdue_milestones(self, owners: list[str] | None, today: str, year: int | None,
                           limit: int) -> tuple[list[dict], int]:
        """The first `limit` overdue milestones of commitments owned by `owners` (None: anyone's), by due date, as
        follow-up list items, and how many there are in all. The commitments are taken by their earliest open due
        date, so the first `limit` of them hold the first `limit` overdue milestones."""
        selector: dict = {"next_due": {"$lt": today}}
        if owners is not None:
            selector["owner_agency_id"] = {"$in": owners}
        if year is not None:
            selector["activity_year"] = year
        hint = [("owner_agency_id", 1), ("next_due", 1)] if owners is not None else [("next_due", 1), ("_id", 1)]
        fields = {"milestones": 1, "activity_id": 1, "activity_title": 1, "activity_year": 1,
                  "organiser_agency_id": 1, "owner_agency_id": 1, "participant_name": 1, "title": 1}
        items: list[dict] = []
        total = 0
        for position, doc in enumerate(self.commitments.collection.find(selector, fields).hint(hint)
                                       .sort([("next_due", 1), ("_id", 1)])):
            late = [m for m in doc["milestones"] if m["status"] != "done" and m["due"] < today]
            total += len(late)
            if position < limit:
                items += [{"id": m["id"], "type": "milestone", "commitment_id": doc["_id"],
                           "activity_id": doc["activity_id"], "activity_title": doc.get("activity_title"),
                           "activity_year": doc["activity_year"], "organiser_agency_id": doc["organiser_agency_id"],
                           "owner_agency_id": doc["owner_agency_id"], "participant_name": doc["participant_name"],
                           "action": f"{doc['title']}: {m['title']}", "due": m["due"], "status": m["status"],
                           "note": m.get("note")} for m in late]
        return sorted(items, key=lambda m: (m["due"], m["id"]))[:limit], total
