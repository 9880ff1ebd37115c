"""Events produced by the agencies service (topic `agencies.events`, key = agency id).

Every event carries the agency's full snapshot after the change, so a replica stays exact by
applying any event with a newer sequence: consumers never need to call the agencies service.
A move changes the path of every descendant; each of them gets its own `path_changed` event.
"""
from marshmallow import fields, validate

from shared.events.contracts import ContractSchema, EventContract, register

TOPIC = "agencies.events"

AGENCY_STATUSES = ("active", "inactive")


class HeadSnapshot(ContractSchema):
    name = fields.String(required=True)
    title = fields.String(required=True)


class AgencySnapshot(ContractSchema):
    id = fields.String(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    short_name = fields.String(load_default=None, allow_none=True)
    type = fields.String(required=True)
    parent_id = fields.String(required=True, allow_none=True)
    path = fields.List(fields.String(), required=True, metadata={"description": "Ancestor ids, root first"})
    status = fields.String(required=True, validate=validate.OneOf(AGENCY_STATUSES))
    head = fields.Nested(HeadSnapshot, allow_none=True, load_default=None,
                         metadata={"description": "Who heads the agency (what a performance agreement names)"})


class AgencyRegisteredV1(ContractSchema):
    agency = fields.Nested(AgencySnapshot, required=True)


class AgencyUpdatedV1(ContractSchema):
    agency = fields.Nested(AgencySnapshot, required=True)
    changed = fields.List(fields.String(), required=True)  # names of the fields that changed


class AgencyMovedV1(ContractSchema):
    agency = fields.Nested(AgencySnapshot, required=True)
    old_parent_id = fields.String(required=True, allow_none=True)
    new_parent_id = fields.String(required=True, allow_none=True)
    reason = fields.String(load_default=None, allow_none=True)


class AgencyPathChangedV1(ContractSchema):
    agency = fields.Nested(AgencySnapshot, required=True)
    moved_ancestor_id = fields.String(required=True)


class AgencyStatusChangedV1(ContractSchema):
    agency = fields.Nested(AgencySnapshot, required=True)
    reason = fields.String(load_default=None, allow_none=True)


class AgencySnapshotV1(ContractSchema):
    agency = fields.Nested(AgencySnapshot, required=True)


def _contract(name: str, schema, description: str) -> EventContract:
    return register(EventContract(type=f"kinerja.agency.{name}.v1", schema=schema, topic=TOPIC, description=description))


AGENCY_REGISTERED = _contract("registered", AgencyRegisteredV1, "A new agency joined the registry.")
AGENCY_UPDATED = _contract("updated", AgencyUpdatedV1, "Descriptive fields (name, short name, head, contact) changed.")
AGENCY_MOVED = _contract("moved", AgencyMovedV1, "The agency was placed under another parent.")
AGENCY_PATH_CHANGED = _contract("path_changed", AgencyPathChangedV1,
                                "An ancestor moved, so the agency's path changed (its parent did not).")
AGENCY_DEACTIVATED = _contract("deactivated", AgencyStatusChangedV1, "The agency became inactive.")
AGENCY_REACTIVATED = _contract("reactivated", AgencyStatusChangedV1, "The agency became active again.")
AGENCY_SNAPSHOT = _contract("snapshot", AgencySnapshotV1, "The agency as it is now, republished (`kinerja events "
                            "republish`): a new or lost replica is rebuilt from these; one holding it ignores it.")
