"""Use cases of the agencies service: each validates against the registry, then writes the
state change and its event in one single-document write (see shared.outbox)."""
from __future__ import annotations

from mongoengine.errors import NotUniqueError

from shared.audit import audit_entry, flush_audit_of
from shared.auth.flask_auth import require
from shared.auth.policy import Action, AgencyRef
from shared.contracts.agencies import AGENCY_REGISTERED
from shared.http.problems import Problem
from services.agencies import SERVICE
from services.agencies.adapters.documents import Agency, Head
from services.agencies.domain.agency import AgencyRuleViolation, check_placement, path_under


def _parent_of(parent_id: str | None) -> dict | None:
    if parent_id is None:
        return None
    parent = Agency._get_collection().find_one({"_id": parent_id}, {"code": 1, "type": 1, "status": 1, "path": 1})
    if parent is None:
        raise Problem(422, "One or more fields are invalid; see errors.",
                      errors={"parent_id": [f"no agency {parent_id}"]})
    parent["id"] = parent.pop("_id")
    return parent


def register_agency(fields: dict) -> Agency:
    """Register a new agency under a parent the caller may write to (a root: admins only); emits
    `agency registered` and leaves one audit record. A duplicate code raises a 409 problem."""
    parent = _parent_of(fields.get("parent_id"))
    require(Action.WRITE, AgencyRef(parent["id"], tuple(parent["path"]), parent["status"]) if parent else None)
    try:
        check_placement(fields["type"], parent)
    except AgencyRuleViolation as err:
        raise Problem(422, "One or more fields are invalid; see errors.", errors={err.field: [str(err)]}) from None
    head = fields.get("head")
    agency = Agency(code=fields["code"], name=fields["name"], short_name=fields.get("short_name"),
                    type=fields["type"], parent_id=fields.get("parent_id"), path=path_under(parent),
                    head=Head(**head) if head else None)
    event = AGENCY_REGISTERED.build(source=SERVICE, subject=agency.id, sequence=1, data={"agency": agency.snapshot()})
    agency.record_first_event(event, audit_entry(
        action="register", entity_type="agency", entity_id=agency.id, agency_id=agency.id, agency_path=agency.path,
        before=None, after=agency.audited_state()))
    try:
        # The unique index on code is the guard, so two concurrent registrations cannot both win.
        agency.save(force_insert=True)
    except NotUniqueError:
        raise Problem(409, f"An agency with code {agency.code} already exists.", type_="duplicate") from None
    flush_audit_of(Agency._get_collection(), agency.id)
    return agency
