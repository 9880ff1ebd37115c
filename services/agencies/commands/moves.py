"""Moving an agency to another parent, and rewriting the paths of its whole subtree.

A move is one write on the moved agency (new parent and path, `moved` event, audit record, and
`subtree_dirty`), then one write per descendant (new path, `path_changed` event), then the flag
is cleared. There are no multi-document transactions, so if the process dies half way the flag
stays set and the worker finishes the rewrite (`repair_dirty_subtrees`); every step is idempotent.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from shared.auth.directory import ref_of
from shared.auth.flask_auth import require
from shared.auth.policy import Action
from shared.contracts.agencies import AGENCY_MOVED, AGENCY_PATH_CHANGED
from shared.outbox import change_with_event
from services.agencies import SERVICE
from services.agencies.adapters.documents import collection, now, snapshot_of
from services.agencies.commands.common import expected_version, parent_rules, refused, write_change
from services.agencies.commands.registry import existing, parent_for
from services.agencies.domain.agency import AgencyRuleViolation, check_move, path_under

log = logging.getLogger(__name__)


def move_agency(agency_id: str, new_parent_id: str | None, reason: str | None, if_match: int | None) -> dict:
    """Place an agency under another parent (the caller must be able to write both places)."""
    agency = existing(agency_id, Action.WRITE)
    version = expected_version(agency, if_match)
    new_parent = parent_for(new_parent_id)
    require(Action.WRITE, ref_of(new_parent) if new_parent else None)
    if agency.get("parent_id") == new_parent_id:
        return agency
    try:
        check_move({**agency, "id": agency["_id"]}, new_parent, parent_rules())
    except AgencyRuleViolation as err:
        raise refused(err) from None
    moved = write_change(agency, {"parent_id": new_parent_id, "path": path_under(new_parent), "subtree_dirty": True},
                         AGENCY_MOVED, action="move", version=version, reason=reason,
                         extra={"old_parent_id": agency.get("parent_id"), "new_parent_id": new_parent_id,
                                "reason": reason})
    rewrite_subtree_paths(agency_id)
    return {**moved, "subtree_dirty": False}


def rewrite_subtree_paths(root_id: str) -> int:
    """Make every descendant's path its parent's path plus its parent, breadth first; emits one
    `path_changed` event per agency whose path changed. Returns how many changed."""
    agencies = collection()
    changed = 0
    frontier = [agencies.find_one({"_id": root_id}, {"path": 1})]
    while frontier:
        parents = {p["_id"]: p["path"] + [p["_id"]] for p in frontier if p}
        children = list(agencies.find({"parent_id": {"$in": list(parents)}}, {"outbox": 0, "audit_pending": 0}))
        next_frontier = []
        for child in children:
            wanted = parents[child["parent_id"]]
            if child.get("path") != wanted:
                _rewrite_path(child, wanted, root_id)
                changed += 1
            next_frontier.append({"_id": child["_id"], "path": wanted})
        frontier = next_frontier
    agencies.update_one({"_id": root_id}, {"$set": {"subtree_dirty": False}})
    return changed


def _rewrite_path(child: dict, path: list[str], moved_ancestor_id: str) -> None:
    for _ in range(5):  # a concurrent edit of the child bumps its version: read again and retry
        after = {**child, "path": path}
        event = AGENCY_PATH_CHANGED.build(source=SERVICE, subject=child["_id"], sequence=child["version"] + 1,
                                          data={"agency": snapshot_of(after), "moved_ancestor_id": moved_ancestor_id})
        if change_with_event(collection(), child["_id"], child["version"], {"path": path, "updated_at": now()}, event):
            return
        child = collection().find_one({"_id": child["_id"]}, {"outbox": 0, "audit_pending": 0})
        if child is None or child.get("path") == path:
            return
    raise RuntimeError(f"could not rewrite the path of {child['_id']}: it keeps changing")


def repair_dirty_subtrees(grace: timedelta = timedelta(seconds=30)) -> int:
    """Finish subtree rewrites that a crashed request left half done (run by the worker). Moves
    younger than `grace` are left to the request still working on them."""
    repaired = 0
    for root in collection().find({"subtree_dirty": True, "updated_at": {"$lt": now() - grace}}, {"_id": 1}):
        log.warning("finishing an interrupted subtree move", extra={"agency_id": root["_id"]})
        repaired += rewrite_subtree_paths(root["_id"])
    return repaired
