"""Events produced by the reforms service (topic `reforms.events`).

Two aggregates: an activity (key = activity id; its participants live inside it) and a follow-up action
(key = follow-up id). Every event carries its aggregate's snapshot after the change (`activity` or
`follow_up`), so a replica elsewhere stays exact by applying the newest one.
"""
from marshmallow import fields, validate

from shared.events.contracts import ContractSchema, EventContract, register

TOPIC = "reforms.events"

ACTIVITY_STATUSES = ("planned", "in_progress", "completed", "cancelled")
FOLLOW_UP_STATUSES = ("open", "in_progress", "done")


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
