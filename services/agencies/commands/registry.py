"""Registering agencies and changing their descriptive fields and status."""
from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from shared.audit import audit_entry, flush_audit_of
from shared.auth.directory import ref_of
from shared.auth.flask_auth import require
from shared.auth.policy import Action
from shared.contracts.agencies import AGENCY_DEACTIVATED, AGENCY_REACTIVATED, AGENCY_REGISTERED, AGENCY_UPDATED
from shared.http.problems import Problem
from services.agencies import SERVICE
from services.agencies.adapters.documents import (audited_state_of, collection, find_agency, new_agency_id, now,
                                                  snapshot_of)
from services.agencies.commands.common import expected_version, invalid, parent_rules, refused, write_change
from services.agencies.domain.agency import AgencyRuleViolation, check_placement, path_under

DESCRIPTIVE_FIELDS = ("name", "short_name", "head", "contact")


def parent_for(parent_id: str | None) -> dict | None:
    """The stored parent as a dict with `id` (None for a root); 422 if there is no such agency."""
    if parent_id is None:
        return None
    parent = find_agency(parent_id)
    if parent is None:
        raise invalid("parent_id", f"no agency {parent_id}")
    return {**parent, "id": parent["_id"]}


def new_agency_document(fields: dict, parent: dict | None) -> dict:
    """A complete new agency document with its `registered` event and audit record, ready to insert."""
    try:
        check_placement(fields["type"], parent, parent_rules())
    except AgencyRuleViolation as err:
        raise invalid(err.field, str(err)) from None
    created = now()
    doc = {"_id": new_agency_id(), "code": fields["code"], "name": fields["name"],
           "short_name": fields.get("short_name"), "type": fields["type"], "parent_id": parent and parent["id"],
           "path": path_under(parent), "status": "active", "head": fields.get("head"), "contact": fields.get("contact"),
           "created_at": created, "updated_at": created, "version": 1, "subtree_dirty": False}
    event = AGENCY_REGISTERED.build(source=SERVICE, subject=doc["_id"], sequence=1, data={"agency": snapshot_of(doc)})
    audit = audit_entry(action="register", entity_type="agency", entity_id=doc["_id"], agency_id=doc["_id"],
                        agency_path=doc["path"], before=None, after=audited_state_of(doc))
    return {**doc, "outbox": [event.to_dict()], "outbox_pending": True, "audit_pending": [audit]}


def register_agency(fields: dict) -> dict:
    """Register a new agency under a parent the caller may write to (a root: admins only); emits
    `agency registered` and leaves one audit record. A duplicate code is a 409."""
    parent = parent_for(fields.get("parent_id"))
    require(Action.WRITE, ref_of(parent) if parent else None)
    doc = new_agency_document(fields, parent)
    try:
        # The unique index on code is the guard, so two concurrent registrations cannot both win.
        collection().insert_one(doc)
    except DuplicateKeyError:
        raise Problem(409, f"An agency with code {doc['code']} already exists.", type_="duplicate") from None
    flush_audit_of(collection(), doc["_id"])
    return doc


def existing(agency_id: str, action: Action) -> dict:
    agency = find_agency(agency_id)
    if agency is None:
        raise Problem(404, f"No agency {agency_id}.")
    require(action, ref_of(agency))
    return agency


def update_agency(agency_id: str, fields: dict, if_match: int | None) -> dict:
    """Change descriptive fields; emits `agency updated` naming what changed (nothing changed: no event)."""
    agency = existing(agency_id, Action.WRITE)
    version = expected_version(agency, if_match)
    changes = {k: v for k, v in fields.items() if k in DESCRIPTIVE_FIELDS and agency.get(k) != v}
    if not changes:
        return agency
    return write_change(agency, changes, AGENCY_UPDATED, action="update", version=version,
                        extra={"changed": sorted(changes)}, reason=fields.get("reason"))


def deactivate_agency(agency_id: str, reason: str | None, if_match: int | None) -> dict:
    """Deactivate; refused (409, naming them) while active children exist. History stays: nothing is deleted."""
    agency = existing(agency_id, Action.WRITE)
    version = expected_version(agency, if_match)
    if agency["status"] == "inactive":
        return agency
    children = list(collection().find({"parent_id": agency_id, "status": "active"}, {"code": 1, "name": 1})
                    .sort("code", 1).limit(50))
    if children:
        names = ", ".join(f"{c['code']} ({c['name']})" for c in children)
        raise Problem(409, f"Refused: {agency['code']} still has active children: {names}. Deactivate or move them first.",
                      type_="structure-conflict", active_children=[c["_id"] for c in children])
    return write_change(agency, {"status": "inactive"}, AGENCY_DEACTIVATED, action="deactivate", version=version,
                        extra={"reason": reason}, reason=reason)


def reactivate_agency(agency_id: str, reason: str | None, if_match: int | None) -> dict:
    """Reactivate; refused (409) under an inactive parent."""
    agency = existing(agency_id, Action.WRITE)
    version = expected_version(agency, if_match)
    if agency["status"] == "active":
        return agency
    parent = find_agency(agency["parent_id"]) if agency.get("parent_id") else None
    if parent is not None and parent["status"] != "active":
        raise refused(AgencyRuleViolation("parent_id", f"parent {parent['code']} is inactive; reactivate it first"))
    return write_change(agency, {"status": "active"}, AGENCY_REACTIVATED, action="reactivate", version=version,
                        extra={"reason": reason}, reason=reason)
