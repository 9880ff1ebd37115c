"""Events produced by the reforms service (topic `reforms.events`).

Five aggregates: an activity (key = activity id; its participants live inside it), a follow-up action
(key = follow-up id), a participant's change commitment (key = commitment id), a work-culture instrument (key = instrument id, code-version) and a survey on an
activity (key = survey id). Every event carries its aggregate's snapshot after the change (`activity`,
`follow_up`, `commitment`, `instrument` or `survey`), so a replica elsewhere stays exact by applying the newest one. A
survey's events never carry anyone's answers: a closed phase tells its aggregates, under the k rule.
"""
from marshmallow import fields, validate

from shared.events.contracts import ContractSchema, EventContract, register

TOPIC = "reforms.events"

ACTIVITY_STATUSES = ("planned", "in_progress", "completed", "cancelled")
FOLLOW_UP_STATUSES = ("open", "in_progress", "done")
SURVEY_PHASES = ("pre", "post")
PHASE_STATUSES = ("scheduled", "open", "closing", "closed")


class ActivitySnapshot(ContractSchema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True)
    # Not checked against today's codes: a consumer must not dead-letter an event for an area added later.
    area = fields.String(required=True, metadata={"description": "RB area or theme code (GET /api/v1/areas)"})
    organiser_agency_id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(ACTIVITY_STATUSES))
    start = fields.String(required=True, metadata={"description": "ISO 8601 with the offset it was given in"})
    end = fields.String(required=True)
    linked_indicator_ids = fields.List(fields.String(), required=True)
    participant_agency_ids = fields.List(fields.String(), load_default=list,
                                         metadata={"description": "Agencies of the registered participants"})
    attended_agency_ids = fields.List(fields.String(), load_default=list,
                                      metadata={"description": "Agencies of the participants who attended"})
    planned_participants = fields.Integer(load_default=None, allow_none=True)
    registered = fields.Integer(load_default=0)
    attended = fields.Integer(load_default=0)


class ActivityEventV1(ContractSchema):
    activity = fields.Nested(ActivitySnapshot, required=True)


class ActivityUpdatedV1(ActivityEventV1):
    changed = fields.List(fields.String(), load_default=list)


class ActivityCompletedV1(ActivityEventV1):
    summary = fields.String(allow_none=True, load_default=None)
    outcomes = fields.List(fields.String(), load_default=list)


class ActivityCancelledV1(ActivityEventV1):
    reason = fields.String(required=True)


class ParticipantSnapshot(ContractSchema):
    id = fields.String(required=True)
    agency_id = fields.String(required=True)
    name = fields.String(required=True)
    position = fields.String(allow_none=True, load_default=None)


class ParticipantsRegisteredV1(ActivityEventV1):
    participants = fields.List(fields.Nested(ParticipantSnapshot), required=True)


class ParticipantRemovedV1(ActivityEventV1):
    participant = fields.Nested(ParticipantSnapshot, required=True)


class AttendanceMarkedV1(ActivityEventV1):
    attended = fields.List(fields.String(), load_default=list, metadata={"description": "Participant ids"})
    absent = fields.List(fields.String(), load_default=list)


class FollowUpSnapshot(ContractSchema):
    id = fields.String(required=True)
    activity_id = fields.String(required=True)
    action = fields.String(required=True)
    owner_agency_id = fields.String(required=True)
    due = fields.String(required=True, metadata={"description": "ISO date"})
    status = fields.String(required=True, validate=validate.OneOf(FOLLOW_UP_STATUSES))


class FollowUpEventV1(ContractSchema):
    follow_up = fields.Nested(FollowUpSnapshot, required=True)
    changed = fields.List(fields.String(), load_default=list)


class InstrumentDimensionSnapshot(ContractSchema):
    code = fields.String(required=True)
    label = fields.String(required=True)
    items = fields.Integer(required=True, metadata={"description": "How many Likert items it has"})


class InstrumentSnapshot(ContractSchema):
    id = fields.String(required=True, metadata={"description": "code-revision, e.g. berakhlak-1"})
    code = fields.String(required=True)
    revision = fields.Integer(required=True, metadata={"description": "The instrument's version number"})
    title = fields.String(required=True)
    in_use = fields.Boolean(required=True, metadata={"description": "Used by a survey: never changed again"})
    dimensions = fields.List(fields.Nested(InstrumentDimensionSnapshot), required=True)


class InstrumentEventV1(ContractSchema):
    instrument = fields.Nested(InstrumentSnapshot, required=True)
    changed = fields.List(fields.String(), load_default=list)


class PhaseSnapshot(ContractSchema):
    status = fields.String(required=True, validate=validate.OneOf(PHASE_STATUSES))
    opened_at = fields.String(allow_none=True, load_default=None)
    closed_at = fields.String(allow_none=True, load_default=None)


class SurveySnapshot(ContractSchema):
    id = fields.String(required=True)
    activity_id = fields.String(required=True)
    organiser_agency_id = fields.String(required=True)
    activity_year = fields.Integer(required=True)
    instrument_id = fields.String(required=True)
    instrument_code = fields.String(required=True)
    k = fields.Integer(required=True, metadata={"description": "Smallest group whose results are shown"})
    pre = fields.Nested(PhaseSnapshot, required=True)
    post = fields.Nested(PhaseSnapshot, required=True)


class SurveyEventV1(ContractSchema):
    survey = fields.Nested(SurveySnapshot, required=True)


class SurveyOpenedV1(SurveyEventV1):
    phase = fields.String(required=True, validate=validate.OneOf(SURVEY_PHASES))


class GroupMean(ContractSchema):
    respondents = fields.Integer(required=True)
    shown = fields.Boolean(required=True, metadata={"description": "False below k respondents: then no mean"})
    mean = fields.Float(allow_none=True, load_default=None, metadata={"description": "0–100"})


class PairedChange(ContractSchema):
    pairs = fields.Integer(required=True, metadata={"description": "Respondents who answered both phases"})
    shown = fields.Boolean(required=True)
    mean = fields.Float(allow_none=True, load_default=None, metadata={"description": "post − pre, index points"})
    low = fields.Float(allow_none=True, load_default=None, metadata={"description": "95 % interval (Student's t)"})
    high = fields.Float(allow_none=True, load_default=None)


class DimensionResult(ContractSchema):
    code = fields.String(required=True, metadata={"description": "A dimension's code, or `overall`"})
    label = fields.String(required=True)
    pre = fields.Nested(GroupMean, required=True)
    post = fields.Nested(GroupMean, required=True)
    change = fields.Nested(PairedChange, required=True)


class AgencyRollup(ContractSchema):
    agency_id = fields.String(required=True)
    respondents = fields.Integer(required=True, metadata={"description": "In the agency's subtree"})
    shown = fields.Boolean(required=True)
    means = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True), allow_none=True,
                        load_default=None, metadata={"description": "Per dimension and `overall`, 0–100; none "
                                                                    "below k respondents"})


class SurveyClosedV1(SurveyOpenedV1):
    respondents = fields.Integer(required=True, metadata={"description": "Who answered the closed phase"})
    dimensions = fields.List(fields.Nested(DimensionResult), required=True,
                             metadata={"description": "The survey's results when the phase closed"})
    rollup = fields.List(fields.Nested(AgencyRollup), required=True,
                         metadata={"description": "The closed phase's means per agency subtree with respondents"})


MILESTONE_STATUSES = ("planned", "in_progress", "done")


class MilestoneSnapshot(ContractSchema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    due = fields.String(required=True, metadata={"description": "ISO date"})
    status = fields.String(required=True, validate=validate.OneOf(MILESTONE_STATUSES))


class CommitmentSnapshot(ContractSchema):
    id = fields.String(required=True)
    activity_id = fields.String(required=True)
    participant_id = fields.String(required=True)
    owner_agency_id = fields.String(required=True, metadata={"description": "The participant's agency"})
    title = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(MILESTONE_STATUSES))
    next_due = fields.String(allow_none=True, load_default=None,
                             metadata={"description": "Earliest due date of a milestone not done"})
    milestones = fields.List(fields.Nested(MilestoneSnapshot), required=True)


class CommitmentEventV1(ContractSchema):
    commitment = fields.Nested(CommitmentSnapshot, required=True)
    changed = fields.List(fields.String(), load_default=list)


def _contract(name: str, schema, description: str) -> EventContract:
    return register(EventContract(type=f"kinerja.{name}.v1", schema=schema, topic=TOPIC, description=description))


ACTIVITY_PLANNED = _contract("activity.planned", ActivityEventV1, "A reform activity was planned.")
ACTIVITY_UPDATED = _contract("activity.updated", ActivityUpdatedV1,
                             "An activity's description, schedule, speakers or links changed (`changed`).")
ACTIVITY_STARTED = _contract("activity.started", ActivityEventV1, "A planned activity began.")
ACTIVITY_COMPLETED = _contract("activity.completed", ActivityCompletedV1,
                               "A reform activity took place; it counts toward the indicators it is linked to.")
ACTIVITY_CANCELLED = _contract("activity.cancelled", ActivityCancelledV1, "An activity was called off (`reason`).")
PARTICIPANTS_REGISTERED = _contract("activity.participants_registered", ParticipantsRegisteredV1,
                                    "People were registered for an activity (`participants`: the new ones).")
PARTICIPANT_REMOVED = _contract("activity.participant_removed", ParticipantRemovedV1,
                                "A registration was withdrawn before the activity ended.")
ATTENDANCE_MARKED = _contract("activity.attendance_marked", AttendanceMarkedV1,
                              "Attendance was recorded for some participants (ids in `attended` / `absent`).")
FOLLOW_UP_CREATED = _contract("follow_up.created", FollowUpEventV1,
                              "A follow-up action (rencana tindak lanjut) was agreed at an activity.")
FOLLOW_UP_UPDATED = _contract("follow_up.updated", FollowUpEventV1,
                              "A follow-up's action, owner, due date or progress changed (`changed`).")
FOLLOW_UP_DONE = _contract("follow_up.done", FollowUpEventV1, "A follow-up action was carried out.")
INSTRUMENT_ADDED = _contract("instrument.added", InstrumentEventV1,
                             "A work-culture instrument, or a new version of one, was added.")
INSTRUMENT_UPDATED = _contract("instrument.updated", InstrumentEventV1,
                               "An unused instrument version was changed, or a first survey now uses it (`in_use`).")
SURVEY_CREATED = _contract("survey.created", SurveyEventV1, "A work-culture survey was attached to an activity.")
SURVEY_OPENED = _contract("survey.opened", SurveyOpenedV1, "A survey's pre or post phase began taking answers.")
SURVEY_CLOSED = _contract("survey.closed", SurveyClosedV1,
                          "A survey phase closed, with its aggregates (k rule); a closed post phase feeds the "
                          "indicators fed by its instrument.")
COMMITMENT_MADE = _contract("commitment.made", CommitmentEventV1,
                            "A participant committed to a change action (aksi perubahan) with milestones.")
COMMITMENT_UPDATED = _contract("commitment.updated", CommitmentEventV1,
                               "A change commitment, or the progress of one of its milestones, changed (`changed`).")
