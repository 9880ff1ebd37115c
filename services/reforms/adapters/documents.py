"""MongoDB collections of the reforms service: fields and indexes (data is written through
shared.store.AggregateStore, see adapters.repository)."""
from __future__ import annotations

from mongoengine import (BooleanField, DateTimeField, DictField, Document, FloatField, IntField, ListField,
                         StringField)

from shared.replicas.snapshots import SnapshotReplica
from shared.contracts.indicators import TOPIC as INDICATORS_TOPIC
from shared.store.outbox import OutboxDocument


class Activity(OutboxDocument):
    """A reform activity with its participants inside: registering, deduplicating and counting them is
    one single-document write guarded by the activity's version."""

    meta = {"collection": "activities", "indexes": [
        ("organiser_agency_id", "year"),  # the summary: activities organised in a subtree
        ("participant_agency_ids", "year"),  # the summary: a subtree's people in anyone's activities
        ("organiser_agency_id", "start"),  # lists by agency, in date order
        ("start", "_id"),  # lists over every agency, in date order
        ("area", "start"), ("status", "start"), ("kind", "start"), ("year", "start"),  # and filtered (admins)
        "search",  # `q` (shared.search): a range per word, so the matches are sorted after
    ]}

    id = StringField(primary_key=True)
    title = StringField(required=True)
    description = StringField(null=True)
    kind = StringField(required=True)
    area = StringField(required=True)
    organiser_agency_id = StringField(required=True)
    facilitator = DictField(null=True)  # {agency_id} or {name}
    speakers = ListField(DictField())
    venue = StringField(null=True)
    start = DateTimeField(required=True)  # UTC
    end = DateTimeField(required=True)
    utc_offset_minutes = IntField(required=True)  # the offset start and end were given in
    year = IntField(required=True)  # of the local start date
    planned_participants = IntField(null=True)
    linked_indicator_ids = ListField(StringField())
    status = StringField(required=True)
    participants = ListField(DictField())
    registered = IntField()
    attended = IntField()
    participant_agency_ids = ListField(StringField())
    attended_agency_ids = ListField(StringField())
    by_agency = ListField(DictField())  # [{agency_id, registered, attended}]
    summary = StringField(null=True)
    outcomes = ListField(StringField())
    cancel_reason = StringField(null=True)
    history = ListField(DictField())  # status changes: {at, by, status, reason}
    search = ListField(StringField())  # the words of its title (shared.search)
    created_by = StringField()
    created_at = DateTimeField()
    updated_at = DateTimeField()


class FollowUp(OutboxDocument):
    """A follow-up action (rencana tindak lanjut) agreed at an activity, owned by an agency."""

    meta = {"collection": "follow_ups", "indexes": [
        ("owner_agency_id", "activity_year"),  # the summary
        ("owner_agency_id", "status", "due"),  # overdue follow-ups of a subtree
        ("activity_id", "due"),
        ("due", "_id"),
        ("status", "due"), ("activity_year", "due"),  # lists over every agency, filtered (admins)
    ]}

    id = StringField(primary_key=True)
    activity_id = StringField(required=True)
    activity_title = StringField()
    activity_year = IntField(required=True)
    organiser_agency_id = StringField(required=True)
    action = StringField(required=True)
    owner_agency_id = StringField(required=True)
    due = StringField(required=True)  # ISO date: sorts as text
    status = StringField(required=True)
    note = StringField(null=True)
    done_at = DateTimeField(null=True)
    history = ListField(DictField())
    created_by = StringField()
    created_at = DateTimeField()
    updated_at = DateTimeField()


class Commitment(OutboxDocument):
    """A participant's change commitment (aksi perubahan) at an activity, its milestones inside it. `next_due` is the
    earliest due date of a milestone not done (None when all are): overdue lists read it through an index."""

    meta = {"collection": "commitments", "indexes": [
        {"fields": ("activity_id", "participant_id"), "unique": True},
        ("owner_agency_id", "next_due"),  # a subtree's commitments, overdue ones first
        ("next_due", "_id"),  # over every agency (admins)
        ("status", "next_due"), ("activity_year", "next_due"),  # and filtered (admins)
        ("activity_id", "participant_name"),
    ]}

    id = StringField(primary_key=True)
    activity_id = StringField(required=True)
    activity_title = StringField()
    activity_year = IntField(required=True)
    organiser_agency_id = StringField(required=True)
    participant_id = StringField(required=True)
    participant_name = StringField(required=True)
    participant_nip = StringField(null=True)
    owner_agency_id = StringField(required=True)
    title = StringField(required=True)
    description = StringField(null=True)
    mentor = DictField(null=True)  # {name, position, agency_id}
    milestones = ListField(DictField())  # [{id, title, due (ISO), status, evidence, note, done_at}]
    status = StringField(required=True)
    next_due = StringField(null=True)
    history = ListField(DictField())
    created_by = StringField()
    created_at = DateTimeField()
    updated_at = DateTimeField()


class Instrument(OutboxDocument):
    """A version of a work-culture questionnaire: Likert items grouped into dimensions. Never changed once in use."""

    meta = {"collection": "instruments", "indexes": [("code", "revision")]}

    id = StringField(primary_key=True)  # code-revision
    code = StringField(required=True)
    revision = IntField(required=True)  # the instrument's version number (`version` is the record's, for ETags)
    title = StringField(required=True)
    description = StringField(null=True)
    dimensions = ListField(DictField())  # [{code, label, items: [{code, text, reverse}]}]
    in_use = BooleanField(default=False)
    created_by = StringField()
    created_at = DateTimeField()
    updated_at = DateTimeField()


class Survey(OutboxDocument):
    """An instrument attached to an activity, answered before (`pre`) and after (`post`). `answered` counts the
    answers of each phase; it is kept by $inc beside the aggregate's own writes (never part of a Change), so that
    closing a phase knows how many answers it waits for."""

    meta = {"collection": "surveys", "indexes": [
        {"fields": ("activity_id", "instrument_id"), "unique": True},
        ("organiser_agency_id", "activity_year"),
        ("activity_year", "created_at"),  # over every agency (admins)
        ("rollup_agency_ids", "activity_year"),  # the culture index: closed surveys covering an agency
    ]}

    id = StringField(primary_key=True)
    activity_id = StringField(required=True)
    activity_title = StringField()
    activity_year = IntField(required=True)
    organiser_agency_id = StringField(required=True)
    instrument_id = StringField(required=True)
    instrument_code = StringField(required=True)
    k = IntField(required=True)
    pre = DictField()  # {status, opened_at, closed_at}
    post = DictField()
    answered = DictField()  # {pre: n, post: n}
    salt = StringField()  # internal: what respondents' keys are derived with
    post_rollup = ListField(DictField(), null=True)  # when post closed: its means per agency subtree (k rule)
    rollup_agency_ids = ListField(StringField())  # the agencies post_rollup shows a number for
    history = ListField(DictField())
    created_by = StringField()
    created_at = DateTimeField()
    updated_at = DateTimeField()


class SurveyRespondent(Document):
    """Who may answer an activity's surveys: a participant with a NIP, by activity:NIP (see adapters.repository)."""

    meta = {"collection": "survey_respondents"}

    id = StringField(primary_key=True)
    activity_id = StringField(required=True)
    participant = DictField()  # {id, agency_id, name, nip}


class SurveyAnswer(Document):
    """One respondent's answers to one phase. The id is survey:phase:respondent, so a second answer is refused by
    the database itself; `respondent` is a keyed hash of the NIP, never the name, and no route reads these one by
    one: results are computed from them."""

    meta = {"collection": "survey_answers", "indexes": [("survey_id", "phase")]}

    id = StringField(primary_key=True)
    survey_id = StringField(required=True)
    phase = StringField(required=True)
    respondent = StringField(required=True)
    agency_id = StringField(required=True)  # the respondent's (its ancestors are read when results are computed)
    items = DictField()  # {item code: 1..5}, as answered
    scores = DictField()  # {dimension: 0–100, overall: 0–100}
    at = DateTimeField()


class IndicatorReplica(Document):
    """What reforms knows of indicators (from indicator events): enough to check an activity's links."""

    meta = {"collection": "indicator_replica", "indexes": ["agency_id"]}

    id = StringField(primary_key=True)
    agency_id = StringField(required=True)
    code = StringField(required=True)
    name = StringField(required=True)
    unit = StringField()
    polarity = StringField()
    frequency = StringField()
    category = StringField()
    weight = FloatField()
    status = StringField(required=True)
    parent_indicator_id = StringField(null=True)
    fed_by_reforms = ListField(StringField(), null=True)
    sequence = IntField(required=True)
    events_applied = IntField()
    updated_at = StringField()


def indicator_replica(replica) -> SnapshotReplica:
    """The handler that keeps `replica` (a collection) from indicator events."""
    return SnapshotReplica(replica, INDICATORS_TOPIC, "indicator", aggregate="indicator")
