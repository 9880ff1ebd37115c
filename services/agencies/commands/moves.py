"""Moving an agency to another parent, with its whole subtree.

Moves are serialised registry-wide by a lease: two concurrent moves could each pass the cycle check and
together build a cycle, or rewrite a subtree from a parent path that another move is changing. Under the
lease the agency and the new parent are read again, so the path always comes from the parent as it is now;
the new parent carries a placement marker meanwhile, so that it cannot be deactivated under the move.
"""
from __future__ import annotations

import uuid

from shared.auth.directory import ref_of
from shared.auth.policy import Action, authorize
from shared.contracts.agencies import AGENCY_MOVED
from services.agencies.commands.common import AgencyContext, existing, may, parent_for, refused
from services.agencies.commands.paths import rewrite_subtree_paths
from services.agencies.domain.agency import AGENCY, AgencyRuleViolation, check_move, path_under


def move_agency(ctx: AgencyContext, agency_id: str, new_parent_id: str | None, reason: str | None,
                if_match: int | None) -> dict:
    """Place an agency under another parent (the caller must be able to write both places)."""
    agency = existing(ctx, agency_id, Action.WRITE)
    new_parent = parent_for(ctx, new_parent_id)
    authorize(ctx.principal, Action.WRITE, ref_of(new_parent) if new_parent else None)
    if agency.get("parent_id") == new_parent_id and if_match in (None, agency["version"]):
        return agency  # already there: no lease needed
    moved: list[str] = []  # set by decide when it writes a move

    def decide(agency: dict, _):
        if agency.get("parent_id") == new_parent_id:
            return None
        try:
            check_move(agency, new_parent, ctx.rules)
        except AgencyRuleViolation as err:
            raise refused(err) from None
        moved.append(agency_id)
        return ctx.changed(AGENCY, agency, {"parent_id": new_parent_id, "path": path_under(new_parent),
                                            "subtree_dirty": True}, AGENCY_MOVED, action="move", reason=reason,
                           extra={"old_parent_id": agency.get("parent_id"), "new_parent_id": new_parent_id,
                                  "reason": reason})

    with ctx.agencies.moves_lease() as lease, ctx.agencies.placing_under(new_parent_id, uuid.uuid4().hex) as placing:
        new_parent = parent_for(ctx, new_parent_id, placing.parent)  # as it is now, under the lease
        authorize(ctx.principal, Action.WRITE, ref_of(new_parent) if new_parent else None)
        result = ctx.agencies.store.update(agency_id, decide, if_match=if_match, access=may(ctx, Action.WRITE))
        if moved:
            rewrite_subtree_paths(ctx, agency_id, lease)
    return result
