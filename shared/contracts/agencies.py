"""Events produced by the agencies service (topic `agencies.events`, key = agency id).

Each event carries the agency's full snapshot, so a replica can be rebuilt from any single
event with a newer sequence: consumers never need to fetch from the agencies service.
"""
from marshmallow import fields, validate

from shared.events.contracts import ContractSchema, EventContract, register

TOPIC = "agencies.events"

AGENCY_STATUSES = ("active", "inactive")


class AgencySnapshot(ContractSchema):
    id = fields.String(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    short_name = fields.String(load_default=None, allow_none=True)
    type = fields.String(required=True)
    parent_id = fields.String(required=True, allow_none=True)
    path = fields.List(fields.String(), required=True)  # ancestor ids, root first
    status = fields.String(required=True, validate=validate.OneOf(AGENCY_STATUSES))


class AgencyRegisteredV1(ContractSchema):
    agency = fields.Nested(AgencySnapshot, required=True)


AGENCY_REGISTERED = register(EventContract(
    type="kinerja.agency.registered.v1",
    schema=AgencyRegisteredV1,
    topic=TOPIC,
    description="A new agency joined the registry.",
))
