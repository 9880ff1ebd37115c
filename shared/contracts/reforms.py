"""Events produced by the reforms service (topic `reforms.events`), key = activity id."""
from marshmallow import fields

from shared.events.contracts import ContractSchema, EventContract, register

TOPIC = "reforms.events"


class ActivitySnapshot(ContractSchema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True)
    area = fields.String(required=True, metadata={"description": "RB area or theme code"})
    organiser_agency_id = fields.String(required=True)
    status = fields.String(required=True)
    start = fields.String(required=True)
    end = fields.String(required=True)
    linked_indicator_ids = fields.List(fields.String(), required=True)
    participant_agency_ids = fields.List(fields.String(), load_default=list)


class ActivityCompletedV1(ContractSchema):
    activity = fields.Nested(ActivitySnapshot, required=True)
    summary = fields.String(allow_none=True, load_default=None)


ACTIVITY_COMPLETED = register(EventContract(
    type="kinerja.activity.completed.v1", schema=ActivityCompletedV1, topic=TOPIC,
    description="A reform activity took place; it counts toward the indicators it is linked to."))
