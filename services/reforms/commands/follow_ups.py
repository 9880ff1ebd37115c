"""Follow-up actions (rencana tindak lanjut) agreed at an activity: owner agency, due date, progress."""
from __future__ import annotations

import uuid
from datetime import date

from shared.auth.directory import ref_of
from shared.auth.policy import Action, authorize, in_scope
from shared.clock import now
from shared.contracts.reforms import FOLLOW_UP_CREATED, FOLLOW_UP_DONE, FOLLOW_UP_UPDATED
from shared.errors import Forbidden, NotFound
from shared.store.aggregates import NewEvent
from services.reforms.commands.activities import existing as existing_activity
from services.reforms.commands.common import ReformsContext, active_agency, audit, expected_version, retrying_when_stale
from services.reforms.domain.lifecycle import follow_up_status, require_status

SNAPSHOT_FIELDS = ("id", "activity_id", "action", "owner_agency_id", "due", "status")
EDITABLE = ("action", "owner_agency_id", "due", "note", "status")
AGREED_IN = ("in_progress", "completed")  # follow-ups are agreed at (or after) the activity


def snapshot_of(follow_up: dict) -> dict:
    return {k: follow_up[k] for k in SNAPSHOT_FIELDS}


def create_follow_up(ctx: ReformsContext, activity_id: str, fields: dict) -> dict:
    """A follow-up of an activity that took place (or is taking place), owned by an active agency."""
    activity, organiser = existing_activity(ctx, activity_id, Action.WRITE)
    require_status(activity["status"], AGREED_IN, "agree follow-up actions")
    owner = active_agency(ctx, fields["owner_agency_id"], "owner_agency_id")
    at = now()
    state = {"id": str(uuid.uuid4()), "activity_id": activity["id"], "activity_title": activity["title"],
             "activity_year": activity["year"], "organiser_agency_id": organiser["id"], "action": fields["action"],
             "owner_agency_id": owner["id"], "due": fields["due"].isoformat(), "status": "open",
             "note": fields.get("note"), "done_at": None,
             "history": [{"at": at, "by": ctx.principal.sub, "status": "open", "note": fields.get("note")}],
             "created_by": ctx.principal.sub, "created_at": at, "updated_at": at}
    snapshot = snapshot_of(state)
    return ctx.repo.follow_ups.create(state, NewEvent(FOLLOW_UP_CREATED, {"follow_up": snapshot}),
                                      audit(ctx, "create", "follow_up", state["id"], owner, None, snapshot))


def _writable(ctx: ReformsContext, follow_up: dict) -> dict:
    """Whoever may write the owner's data (reporting progress) or the organiser's (who agreed it) may
    change a follow-up; returns the agency the write is recorded against."""
    agencies = ctx.repo.agencies([follow_up["owner_agency_id"], follow_up["organiser_agency_id"]])
    owner, organiser = agencies.get(follow_up["owner_agency_id"]), agencies.get(follow_up["organiser_agency_id"])
    for agency in (owner, organiser):
        if agency is not None and in_scope(ctx.principal, ref_of(agency)):
            authorize(ctx.principal, Action.WRITE, ref_of(agency))
            return agency
    raise Forbidden(f"Forbidden: changing a follow-up needs a token scoped to its owner "
                    f"{follow_up['owner_agency_id']} or its organiser {follow_up['organiser_agency_id']} (or above).",
                    Action.WRITE.value, follow_up["owner_agency_id"])


def update_follow_up(ctx: ReformsContext, follow_up_id: str, fields: dict, if_match: int | None) -> dict:
    """Change a follow-up's action, owner, due date or note, or move it open ⇄ in progress → done."""
    def attempt() -> dict:
        follow_up = ctx.repo.follow_ups.get(follow_up_id)
        if follow_up is None:
            raise NotFound(f"No follow-up {follow_up_id}.")
        agency = _writable(ctx, follow_up)
        expected_version(follow_up, if_match, "follow-up")
        wanted = {k: fields[k].isoformat() if isinstance(fields[k], date) else fields[k]
                  for k in EDITABLE if k in fields}
        changes = {k: v for k, v in wanted.items() if v != follow_up.get(k)}
        if not changes:
            return follow_up
        if "status" in changes:
            follow_up_status(follow_up["status"], changes["status"])
        elif follow_up["status"] == "done":
            follow_up_status("done", "open")  # a done follow-up is final: refuse with what is allowed
        if "owner_agency_id" in changes:
            active_agency(ctx, changes["owner_agency_id"], "owner_agency_id")
        at = now()
        changes["updated_at"] = at
        if changes.get("status") == "done":
            changes["done_at"] = at
        changes["history"] = [*follow_up["history"], {"at": at, "by": ctx.principal.sub,
                                                      "status": changes.get("status", follow_up["status"]),
                                                      "note": fields.get("note")}]
        after = {**follow_up, **changes}
        contract = FOLLOW_UP_DONE if changes.get("status") == "done" else FOLLOW_UP_UPDATED
        changed = sorted(k for k in wanted if k in changes)
        return ctx.repo.follow_ups.change(
            follow_up_id, follow_up["version"], changes,
            NewEvent(contract, {"follow_up": snapshot_of(after), "changed": changed}),
            audit(ctx, "done" if contract is FOLLOW_UP_DONE else "update", "follow_up", follow_up_id, agency,
                  snapshot_of(follow_up), snapshot_of(after)))
    return retrying_when_stale(if_match, attempt)
