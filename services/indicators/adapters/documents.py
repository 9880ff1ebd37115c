"""MongoDB collections of the indicators service: fields and indexes (data is written through
shared.store.AggregateStore, see adapters.repository)."""
from __future__ import annotations

from mongoengine import BooleanField, Document, DateTimeField, DictField, FloatField, IntField, ListField, StringField

from shared.store.outbox import OutboxDocument


class Indicator(OutboxDocument):
    meta = {"collection": "indicators", "indexes": [
        {"fields": ["agency_id", "code"], "unique": True},
        ("agency_id", "status"),
        "parent_indicator_id",
        ("category", "_id"),
        ("code", "_id"),
        ("fed_by_culture.instrument", "agency_id"),  # who a closed survey feeds
        "search",  # `q` (shared.search): a range per word, so the matches are sorted after
    ]}

    id = StringField(primary_key=True)
    agency_id = StringField(required=True)
    code = StringField(required=True)
    name = StringField(required=True)
    definition = StringField(null=True)
    unit = StringField(required=True)
    polarity = StringField(required=True)
    frequency = StringField(required=True)
    baseline = FloatField(null=True)
    aggregation = StringField()  # sum, average or last (domain.aggregation)
    weight = FloatField(required=True)
    category = StringField(required=True)
    parent_indicator_id = StringField(null=True)
    fed_by_reforms = ListField(StringField(), null=True)
    fed_by_culture = DictField(null=True)  # {instrument: code, dimension: code or None}
    status = StringField(required=True)
    targets = DictField()          # period -> {value, min, max, revision, reason, by, at}
    target_history = ListField(DictField())
    search = ListField(StringField())  # the words of its name and code (shared.search)
    created_at = DateTimeField()
    updated_at = DateTimeField()


class Realisation(OutboxDocument):
    meta = {"collection": "realisations", "indexes": [
        {"fields": ["indicator_id", "period"], "unique": True},
        ("agency_id", "period"),
        ("agency_id", "status"),
    ]}

    id = StringField(primary_key=True)  # "<indicator id>:<period>"
    indicator_id = StringField(required=True)
    agency_id = StringField(required=True)
    period = StringField(required=True)
    value = FloatField(null=True)
    evidence = ListField(DictField())
    note = StringField(null=True)
    status = StringField(required=True)
    source = StringField()  # "manual" or "reforms" (counted from completed activities)
    submitted_by = StringField(null=True)
    submitted_at = DateTimeField(null=True)
    verified_by = StringField(null=True)
    verified_at = DateTimeField(null=True)
    reason = StringField(null=True)
    # A count of completed reform activities that arrived while the period was locked: {value, reason, at,
    # lock_id}; applied (through the workflow) when the period is unlocked.
    pending_count = DictField(null=True)
    reform_count = FloatField(null=True)  # the value the reforms service gave last (a count, a culture index)
    history = ListField(DictField())
    created_at = DateTimeField()
    updated_at = DateTimeField()


class PeriodLock(OutboxDocument):
    meta = {"collection": "period_locks", "indexes": [("period", "agency_id", "locked")]}

    id = StringField(primary_key=True)  # "<agency id>:<period>"
    agency_id = StringField(required=True)
    period = StringField(required=True)
    locked = BooleanField(required=True)
    by = StringField(required=True)
    at = DateTimeField(required=True)
    reason = StringField(null=True)
    history = ListField(DictField())


class RulePackDocument(OutboxDocument):
    meta = {"collection": "rulepacks", "indexes": ["effective_from", "number"]}

    id = StringField(primary_key=True)  # the version, as a string
    number = IntField(required=True)
    effective_from = StringField(null=True)  # ISO date; null: proposed, in force for no period yet
    method = StringField()  # mean_of_periods (version 1) or aggregate
    formulas = DictField()  # polarity -> formula name (domain.achievement.FORMULAS)
    range_rule = StringField()
    cap = FloatField(required=True)
    floor = FloatField()
    bands = ListField(DictField())  # {code, label, min, inclusive}, best first
    green_from = FloatField(required=True)
    yellow_from = FloatField(required=True)
    description = StringField()
    created_by = StringField()


class Scorecard(OutboxDocument):
    """The read model of an agency's score for a period, kept by the worker from events; an aggregate
    of its own so that its changes are events (`score.changed`) others can follow."""

    meta = {"collection": "scorecards", "indexes": [("agency_id", "period"), "period_start"]}

    id = StringField(primary_key=True)  # "<agency id>:<period>"
    agency_id = StringField(required=True)
    # What a read shows of the agency and needs for the scope check, so that GET is one round trip.
    agency = DictField()
    agency_path = ListField(StringField())
    parent_id = StringField(null=True)
    period = StringField(required=True)
    computed = BooleanField()
    period_start = StringField(required=True)  # ISO date: which rule pack applies, and what a new one rescores
    own = DictField()
    rollup = DictField()
    indicators = ListField(DictField())
    objectives = ListField(DictField())
    children = ListField(DictField())
    rulepack_version = IntField()
    rescored_from_version = IntField(null=True)  # the rule pack version of the card this one replaced
    format = IntField()  # domain.scorecard.CARD_FORMAT
    computed_at = DateTimeField()


class AgencyWeight(OutboxDocument):
    """How much an agency counts in its parent's roll-up (default 1)."""

    meta = {"collection": "agency_weights"}

    id = StringField(primary_key=True)  # the agency id
    weight = FloatField(required=True)
    by = StringField()
    at = DateTimeField()


class StrategicPlan(OutboxDocument):
    """An agency's Renstra: goals → objectives → indicators with baseline and yearly targets."""

    meta = {"collection": "plans", "indexes": [("agency_id", "start_year"), ("start_year", "end_year"),
                                               ("status", "agency_id"), "objective_ids"]}

    id = StringField(primary_key=True)
    agency_id = StringField(required=True)
    name = StringField(required=True)
    start_year = IntField(required=True)
    end_year = IntField(required=True)
    status = StringField(required=True)  # active or archived
    goals = ListField(DictField())
    objective_ids = ListField(StringField())  # "<plan id>:<objective code>", for the cascade check
    indicator_ids = ListField(StringField())
    history = ListField(DictField())
    created_at = DateTimeField()
    updated_at = DateTimeField()


class PerformanceAgreement(OutboxDocument):
    """A Perjanjian Kinerja: the draft, every signed version, and which version is in force."""

    meta = {"collection": "performance_agreements", "indexes": [
        {"fields": ["agency_id", "year"], "unique": True},
        ("year", "agency_id"),
        ("status", "year"),
        ("frozen_targets", "status"),  # is a target write frozen by a signed agreement?
        ("indicator_ids", "status"),  # may an indicator's aggregation change?
    ]}

    id = StringField(primary_key=True)
    agency_id = StringField(required=True)
    year = IntField(required=True)
    status = StringField(required=True)  # draft or signed
    draft = DictField()  # the content being drafted (objectives, budget, head, superior)
    versions = ListField(DictField())
    version_in_force = IntField(null=True)
    indicator_ids = ListField(StringField())  # of the version in force, else of the draft
    frozen_targets = ListField(StringField())  # "<indicator id>:<period>" the version in force sets
    history = ListField(DictField())
    created_at = DateTimeField()
    updated_at = DateTimeField()


class ReportNarrative(OutboxDocument):
    """The narratives of an agency's annual report for a year (domain.narratives)."""

    meta = {"collection": "report_narratives", "indexes": [("agency_id", "year")]}

    id = StringField(primary_key=True)
    agency_id = StringField(required=True)
    year = IntField(required=True)
    chapters = DictField()    # chapter -> text
    indicators = DictField()  # indicator id -> {analysis, supporting, hindering, follow_up}
    created_at = DateTimeField()
    updated_at = DateTimeField()


class ReformActivityRecord(Document):
    """What the annual report needs of the reform activities completed (from `kinerja.activity.completed`,
    kept by consumers.reform_activities): the report lists those linked to the agency's indicators."""

    meta = {"collection": "reform_activities", "indexes": [("linked_indicator_ids", "end")]}

    id = StringField(primary_key=True)
    title = StringField(required=True)
    kind = StringField()
    area = StringField()
    organiser_agency_id = StringField()
    start = StringField()
    end = StringField(required=True)
    linked_indicator_ids = ListField(StringField())
    attended = IntField()
    registered = IntField()
    summary = StringField(null=True)
    outcomes = ListField(StringField())
