"""Registering agencies and changing their descriptive fields and status."""
from __future__ import annotations

import uuid
from datetime import timedelta

from shared.auth.directory import ref_of
from shared.auth.policy import Action, authorize
from shared.commands import Change
from shared.contracts.agencies import AGENCY_DEACTIVATED, AGENCY_REACTIVATED, AGENCY_REGISTERED, AGENCY_UPDATED
from shared.errors import Conflict
from shared.store.aggregates import Moved
from services.agencies.commands.common import AgencyContext, invalid, may, parent_for, refused
from services.agencies.commands.paths import follow_parent
from services.agencies.domain.agency import AGENCY, AgencyRuleViolation, check_placement, path_under

DESCRIPTIVE_FIELDS = ("name", "short_name", "head", "contact")
MAX_LISTED_CHILDREN = 50
# A placement marker older than this was left by a request that died: a deactivation no longer waits for it.
PLACEMENT_TTL = timedelta(seconds=60)


def new_agency(ctx: AgencyContext, fields: dict, parent: dict | None) -> Change:
    """A new agency with its `registered` event and audit record; Invalid if the type may not sit under
    `parent`."""
    try:
        check_placement(fields["type"], parent, ctx.rules)
    except AgencyRuleViolation as err:
        raise invalid(err) from None
    state = {"id": str(uuid.uuid4()), "code": fields["code"], "name": fields["name"],
             "short_name": fields.get("short_name"), "type": fields["type"], "parent_id": parent and parent["id"],
             "path": path_under(parent), "status": "active", "head": fields.get("head"),
             "contact": fields.get("contact")}
    return ctx.created(AGENCY, state, AGENCY_REGISTERED, action="register")


def register_agency(ctx: AgencyContext, fields: dict) -> dict:
    """Register a new agency under a parent the caller may write to (a root: admins only); emits
    `agency registered` and leaves one audit record. A duplicate code is a Conflict."""
    with ctx.agencies.placing_under(fields.get("parent_id"), uuid.uuid4().hex) as placement:
        parent = parent_for(ctx, fields.get("parent_id"), placement.parent)
        authorize(ctx.principal, Action.WRITE, ref_of(parent) if parent else None)
        change = new_agency(ctx, fields, parent)
        try:
            # The unique index on code is the guard, so two concurrent registrations cannot both win.
            created = ctx.agencies.store.create(change)
        except Conflict as err:
            if err.kind == "duplicate":
                raise Conflict(f"An agency with code {fields['code']} already exists.", kind="duplicate") from None
            raise
    return follow_parent(ctx, created, placement.parent_after)


def update_agency(ctx: AgencyContext, agency_id: str, fields: dict, if_match: int | None) -> dict:
    """Change descriptive fields; emits `agency updated` naming what changed (nothing changed: no event)."""
    def decide(agency: dict, _) -> Change | None:
        changes = {k: v for k, v in fields.items() if k in DESCRIPTIVE_FIELDS and agency.get(k) != v}
        if not changes:
            return None
        return ctx.changed(AGENCY, agency, changes, AGENCY_UPDATED, action="update",
                           extra={"changed": sorted(changes)}, reason=fields.get("reason"))
    return ctx.agencies.store.update(agency_id, decide, if_match=if_match, access=may(ctx, Action.WRITE))


def deactivate_agency(ctx: AgencyContext, agency_id: str, reason: str | None, if_match: int | None) -> dict:
    """Deactivate; refused (Conflict, naming them) while active children exist. Nothing is deleted.

    An agency being placed under this one right now (see AgencyRepository.placing_under) is waited for,
    and the write goes through only if no placement began since the children were counted."""
    def decide(agency: dict, _) -> Change | None:
        if agency["status"] == "inactive":
            return None
        if any(marker["at"] > ctx.clock() - PLACEMENT_TTL for marker in agency.get("placing") or ()):
            raise Moved("An agency is being placed under this one; deciding again once it is.")
        children = ctx.agencies.active_children(agency_id, limit=MAX_LISTED_CHILDREN)
        if children:
            names = ", ".join(f"{c['code']} ({c['name']})" for c in children)
            raise Conflict(f"Refused: {agency['code']} still has active children: {names}. Deactivate or move them "
                           "first.", kind="structure-conflict", active_children=[c["id"] for c in children])
        return ctx.changed(AGENCY, agency, {"status": "inactive"}, AGENCY_DEACTIVATED, action="deactivate",
                           extra={"reason": reason}, reason=reason,
                           expect={"placements": agency.get("placements")})  # no placement began since
    return ctx.agencies.store.update(agency_id, decide, if_match=if_match, access=may(ctx, Action.WRITE))


def reactivate_agency(ctx: AgencyContext, agency_id: str, reason: str | None, if_match: int | None) -> dict:
    """Reactivate; refused (Conflict) under an inactive parent."""
    current = ctx.agencies.get(agency_id)
    with ctx.agencies.placing_under((current or {}).get("parent_id"), uuid.uuid4().hex) as placement:
        def decide(agency: dict, _) -> Change | None:
            if agency["status"] == "active":
                return None
            parent = placement.parent if agency.get("parent_id") == (current or {}).get("parent_id") \
                else ctx.agencies.get(agency["parent_id"]) if agency.get("parent_id") else None
            if parent is not None and parent["status"] != "active":
                raise refused(AgencyRuleViolation("parent_id", f"parent {parent['code']} is inactive; reactivate it "
                                                               "first"))
            return ctx.changed(AGENCY, agency, {"status": "active"}, AGENCY_REACTIVATED, action="reactivate",
                               extra={"reason": reason}, reason=reason)
        return ctx.agencies.store.update(agency_id, decide, if_match=if_match, access=may(ctx, Action.WRITE))
