"""Registering agencies and changing their descriptive fields and status."""
from __future__ import annotations

import uuid
from datetime import timedelta

from shared.auth.directory import ref_of
from shared.auth.policy import Action, authorize, require_role, scope_filter
from shared.commands import Change
from shared.contracts.agencies import AGENCY_DEACTIVATED, AGENCY_REACTIVATED, AGENCY_REGISTERED, AGENCY_UPDATED
from shared.errors import Conflict, Unavailable
from shared.store.aggregates import Moved
from services.agencies.commands.common import AgencyContext, existing, invalid, may, parent_for, refused
from services.agencies.commands.paths import follow_parent
from services.agencies.domain.agency import AGENCY, AgencyRuleViolation, check_placement, path_under

DESCRIPTIVE_FIELDS = ("name", "short_name", "head", "contact")
MAX_LISTED_CHILDREN = 50
# A placement marker older than this was left by a request that died: a deactivation no longer waits for it.
# A long placement (an import) refreshes its markers as it goes.
PLACEMENT_TTL = timedelta(seconds=60)
# A placement under way for longer than this is not waited for: the deactivation is a 503 to retry.
LONG_PLACEMENT = timedelta(seconds=2)


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
    require_role(ctx.principal, Action.WRITE)  # a caller who may write nowhere writes nothing, not even a marker
    parent_id = fields.get("parent_id")
    for _ in range(3):
        # The marker goes only into a parent inside the caller's scope: nobody else's agency is written.
        with ctx.agencies.placing_under(parent_id, uuid.uuid4().hex, within=scope_filter(ctx.principal)) as placement:
            if parent_id is not None and placement.parent is None:
                # Nothing marked: no such parent, or not the caller's (refused here), or moved into the caller's
                # scope just now (marked on the next pass: never registered without a marker).
                authorize(ctx.principal, Action.WRITE, ref_of(parent_for(ctx, parent_id)))
                continue
            authorize(ctx.principal, Action.WRITE, ref_of(placement.parent) if placement.parent else None)
            created = _create(ctx, new_agency(ctx, fields, placement.parent), fields["code"])
        return follow_parent(ctx, created, placement.parent_after)
    raise Unavailable("The parent agency is being moved right now; register again in a moment.", retry_after_s=1)


def _create(ctx: AgencyContext, change: Change, code: str) -> dict:
    try:
        # The unique index on code is the guard, so two concurrent registrations cannot both win.
        return ctx.agencies.store.create(change)
    except Conflict as err:
        if err.kind == "duplicate":
            raise Conflict(f"An agency with code {code} already exists.", kind="duplicate") from None
        raise


class _ParentChanged(Exception):
    """The agency was moved under another parent while it was being reactivated: mark that one instead."""


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

    An agency being placed under this one right now (see AgencyRepository.placing_under) is waited for — a
    registration or a move takes milliseconds; a longer placement (an import) is a 503 to retry — and the write
    goes through only if no placement began since the children were counted."""
    def decide(agency: dict, _) -> Change | None:
        if agency["status"] == "inactive":
            return None
        markers = agency.get("placing") or {}
        fresh = [at for at in markers.values() if at > ctx.clock() - PLACEMENT_TTL]
        if any(at < ctx.clock() - LONG_PLACEMENT for at in fresh):
            raise Unavailable(f"Agencies are being placed under {agency['code']} right now (an import?); deactivate "
                              "it once that is done.", retry_after_s=5)
        if fresh:
            raise Moved("An agency is being placed under this one; deciding again once it is.")
        children = ctx.agencies.active_children(agency_id, limit=MAX_LISTED_CHILDREN)
        if children:
            names = ", ".join(f"{c['code']} ({c['name']})" for c in children)
            raise Conflict(f"Refused: {agency['code']} still has active children: {names}. Deactivate or move them "
                           "first.", kind="structure-conflict", active_children=[c["id"] for c in children])
        return ctx.changed(AGENCY, agency, {"status": "inactive"}, AGENCY_DEACTIVATED, action="deactivate",
                           extra={"reason": reason}, reason=reason,
                           unset=tuple(f"placing.{marker}" for marker in markers),  # stale ones, left by a crash
                           expect={"placements": agency.get("placements")})  # no placement began since
    return ctx.agencies.store.update(agency_id, decide, if_match=if_match, access=may(ctx, Action.WRITE))


def reactivate_agency(ctx: AgencyContext, agency_id: str, reason: str | None, if_match: int | None) -> dict:
    """Reactivate; refused (Conflict) under an inactive parent."""
    for _ in range(3):
        current = existing(ctx, agency_id, Action.WRITE)
        parent_id = current.get("parent_id")
        with ctx.agencies.placing_under(parent_id, uuid.uuid4().hex) as placement:
            def decide(agency: dict, _) -> Change | None:
                if agency["status"] == "active":
                    return None
                if agency.get("parent_id") != parent_id:
                    raise _ParentChanged()
                parent = placement.parent
                if parent is not None and parent["status"] != "active":
                    raise refused(AgencyRuleViolation("parent_id", f"parent {parent['code']} is inactive; reactivate "
                                                                   "it first"))
                return ctx.changed(AGENCY, agency, {"status": "active"}, AGENCY_REACTIVATED, action="reactivate",
                                   extra={"reason": reason}, reason=reason)
            try:
                return ctx.agencies.store.update(agency_id, decide, if_match=if_match, access=may(ctx, Action.WRITE))
            except _ParentChanged:
                continue
    raise Unavailable("The agency keeps moving while it is reactivated; try again.", retry_after_s=1)
