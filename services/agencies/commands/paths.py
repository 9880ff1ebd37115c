"""Keeping every agency's path equal to its parent's path plus its parent.

Paths decide access (a token's scope is a subtree), so they must never disagree with the parents.
There are no multi-document transactions, so the invariant is restored step by step, always from the
parent as it is NOW:
- a move (commands.moves) holds the registry's moves lease, writes the moved agency with `subtree_dirty`,
  rewrites its descendants breadth first (one `path_changed` event each), then clears the flag; if the
  request dies half way the worker finishes it (`repair_dirty_subtrees`);
- a registration or import that raced a move reads the parent again as its placement marker comes out
  (AgencyRepository.placing_under) and corrects its own path if the parent moved meanwhile
  (`follow_parent`).
"""
from __future__ import annotations

import logging
from datetime import timedelta

from shared.clock import now
from shared.contracts.agencies import AGENCY_PATH_CHANGED
from services.agencies.commands.common import SYSTEM, AgencyContext
from services.agencies.domain.agency import AGENCY, path_under

log = logging.getLogger(__name__)


def rewrite_path(ctx: AgencyContext, agency_id: str, path: list[str], moved_ancestor_id: str) -> dict:
    """Give the agency the path `path` with a `path_changed` event (decided again if a concurrent edit
    bumps its version). Derived changes leave no audit record: the move that caused them has one."""
    def decide(agency: dict, _):
        if agency.get("path") == path:
            return None
        return ctx.changed(AGENCY, agency, {"path": path}, AGENCY_PATH_CHANGED, action="rewrite_path",
                           extra={"moved_ancestor_id": moved_ancestor_id}, audited=False)
    return ctx.agencies.store.update(agency_id, decide)


def rewrite_subtree_paths(ctx: AgencyContext, root_id: str, lease) -> int:
    """Make every descendant's path its parent's path plus its parent, breadth first, one `path_changed`
    event per agency whose path changed; then clear the root's `subtree_dirty`. Holds `lease`
    (renewing it as it goes). Returns how many paths changed."""
    root = ctx.agencies.get(root_id)
    if root is None:
        return 0
    wanted_under = {root_id: path_under(root)}
    changed = 0
    while wanted_under:
        lease.renew()
        next_level = {}
        for child in ctx.agencies.children_of(list(wanted_under)):
            wanted = wanted_under[child["parent_id"]]
            if child.get("path") != wanted:
                rewrite_path(ctx, child["id"], wanted, root_id)
                changed += 1
            next_level[child["id"]] = [*wanted, child["id"]]
        wanted_under = next_level
    ctx.agencies.clear_dirty(root_id)
    return changed


def follow_parent(ctx: AgencyContext, agency: dict, parent: dict | None) -> dict:
    """After inserting `agency`: if its parent moved meanwhile (a move's rewrite may not have seen the new
    child), take the parent's path as it is now (`parent`, read when the placement marker came out)."""
    if not agency.get("parent_id") or parent is None:
        return agency
    wanted = path_under(parent)
    if wanted == agency["path"]:
        return agency
    log.info("a new agency's parent moved while it was registered; following it", extra={"agency_id": agency["id"]})
    return rewrite_path(ctx, agency["id"], wanted, agency["parent_id"])


def repair_dirty_subtrees(ctx: AgencyContext, grace: timedelta = timedelta(seconds=30)) -> int:
    """Finish subtree rewrites that a crashed request left half done (run by the worker). Moves younger
    than `grace` are left to the request still working on them; if a move holds the lease, next time."""
    roots = ctx.agencies.dirty_roots(now() - grace)
    if not roots:
        return 0
    lease = ctx.agencies.moves_lease()
    if not lease.acquire(wait_s=0):
        return 0
    try:
        repaired = 0
        for root_id in roots:
            log.warning("finishing an interrupted subtree move", extra={"agency_id": root_id})
            repaired += rewrite_subtree_paths(ctx, root_id, lease)
        return repaired
    finally:
        lease.release()


def repair_for_worker(agencies) -> int:
    """The worker's maintenance task."""
    return repair_dirty_subtrees(AgencyContext(principal=SYSTEM, agencies=agencies))
