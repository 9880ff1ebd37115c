"""Registering agencies and changing their descriptive fields and status."""
from __future__ import annotations

import uuid

from shared.audit import audit_entry
from shared.auth.directory import ref_of
from shared.auth.policy import Action, authorize
from shared.clock import now
from shared.contracts.agencies import AGENCY_DEACTIVATED, AGENCY_REACTIVATED, AGENCY_REGISTERED, AGENCY_UPDATED
from shared.errors import Conflict
from shared.store.aggregates import NewEvent
from services.agencies.commands.common import (AgencyContext, existing, expected_version, invalid, parent_for, refused,
                                               write_change)
from services.agencies.commands.paths import follow_parent
from services.agencies.domain.agency import (AgencyRuleViolation, audited_state_of, check_placement, path_under,
                                             snapshot_of)

DESCRIPTIVE_FIELDS = ("name", "short_name", "head", "contact")
MAX_LISTED_CHILDREN = 50


def new_agency(ctx: AgencyContext, fields: dict, parent: dict | None) -> tuple[dict, NewEvent, dict]:
    """A new agency's state with its `registered` event and audit record; Invalid if the type may not
    sit under `parent`."""
    try:
        check_placement(fields["type"], parent, ctx.rules)
    except AgencyRuleViolation as err:
        raise invalid(err) from None
    created = now()
    state = {"id": str(uuid.uuid4()), "code": fields["code"], "name": fields["name"],
             "short_name": fields.get("short_name"), "type": fields["type"], "parent_id": parent and parent["id"],
             "path": path_under(parent), "status": "active", "head": fields.get("head"),
             "contact": fields.get("contact"), "created_at": created, "updated_at": created}
    audit = audit_entry(ctx.principal, action="register", entity_type="agency", entity_id=state["id"],
                        agency_id=state["id"], agency_path=state["path"], before=None, after=audited_state_of(state))
    return state, NewEvent(AGENCY_REGISTERED, {"agency": snapshot_of(state)}), audit


def register_agency(ctx: AgencyContext, fields: dict) -> dict:
    """Register a new agency under a parent the caller may write to (a root: admins only); emits
    `agency registered` and leaves one audit record. A duplicate code is a Conflict."""
    parent = parent_for(ctx, fields.get("parent_id"))
    authorize(ctx.principal, Action.WRITE, ref_of(parent) if parent else None)
    state, event, audit = new_agency(ctx, fields, parent)
    try:
        # The unique index on code is the guard, so two concurrent registrations cannot both win.
        created = ctx.agencies.store.create(state, event, audit)
    except Conflict as err:
        if err.kind == "duplicate":
            raise Conflict(f"An agency with code {state['code']} already exists.", kind="duplicate") from None
        raise
    return follow_parent(ctx, created)


def update_agency(ctx: AgencyContext, agency_id: str, fields: dict, if_match: int | None) -> dict:
    """Change descriptive fields; emits `agency updated` naming what changed (nothing changed: no event)."""
    agency = existing(ctx, agency_id, Action.WRITE)
    version = expected_version(agency, if_match)
    changes = {k: v for k, v in fields.items() if k in DESCRIPTIVE_FIELDS and agency.get(k) != v}
    if not changes:
        return agency
    return write_change(ctx, agency, changes, AGENCY_UPDATED, action="update", version=version,
                        extra={"changed": sorted(changes)}, reason=fields.get("reason"))


def deactivate_agency(ctx: AgencyContext, agency_id: str, reason: str | None, if_match: int | None) -> dict:
    """Deactivate; refused (Conflict, naming them) while active children exist. Nothing is deleted."""
    agency = existing(ctx, agency_id, Action.WRITE)
    version = expected_version(agency, if_match)
    if agency["status"] == "inactive":
        return agency
    children = ctx.agencies.active_children(agency_id, limit=MAX_LISTED_CHILDREN)
    if children:
        names = ", ".join(f"{c['code']} ({c['name']})" for c in children)
        raise Conflict(f"Refused: {agency['code']} still has active children: {names}. Deactivate or move them first.",
                       kind="structure-conflict", active_children=[c["id"] for c in children])
    return write_change(ctx, agency, {"status": "inactive"}, AGENCY_DEACTIVATED, action="deactivate", version=version,
                        extra={"reason": reason}, reason=reason)


def reactivate_agency(ctx: AgencyContext, agency_id: str, reason: str | None, if_match: int | None) -> dict:
    """Reactivate; refused (Conflict) under an inactive parent."""
    agency = existing(ctx, agency_id, Action.WRITE)
    version = expected_version(agency, if_match)
    if agency["status"] == "active":
        return agency
    parent = ctx.agencies.get(agency["parent_id"]) if agency.get("parent_id") else None
    if parent is not None and parent["status"] != "active":
        raise refused(AgencyRuleViolation("parent_id", f"parent {parent['code']} is inactive; reactivate it first"))
    return write_change(ctx, agency, {"status": "active"}, AGENCY_REACTIVATED, action="reactivate", version=version,
                        extra={"reason": reason}, reason=reason)
