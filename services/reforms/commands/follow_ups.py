"""Follow-up actions (rencana tindak lanjut) agreed at an activity: owner agency, due date, progress."""
from __future__ import annotations

import uuid
from datetime import date

from shared.auth.directory import ref_of
from shared.auth.policy import Action, authorize, in_scope
from shared.commands import Change
from shared.contracts.reforms import FOLLOW_UP_CREATED, FOLLOW_UP_DONE, FOLLOW_UP_UPDATED
from shared.errors import Forbidden, NotFound
from services.reforms.commands.common import ReformsContext
from services.reforms.domain.activity import FOLLOW_UP
from services.reforms.domain.lifecycle import follow_up_status, require_status

EDITABLE = ("action", "owner_agency_id", "due", "note", "status")
AGREED_IN = ("in_progress", "completed")  # follow-ups are agreed at (or after) the activity


def create_follow_up(ctx: ReformsContext, activity_id: str, fields: dict) -> dict:
    """A follow-up of an activity that took place (or is taking place), owned by an active agency."""
    activity = ctx.repo.activities.get(activity_id)
    if activity is None:
        raise NotFound(f"No activity {activity_id}.")
    organiser_agency = ctx.organiser(Action.WRITE)(activity)
    require_status(activity["status"], AGREED_IN, "agree follow-up actions")
    owner = ctx.active_agency(fields["owner_agency_id"], "owner_agency_id")
    state = {"id": str(uuid.uuid4()), "activity_id": activity["id"], "activity_title": activity["title"],
             "activity_year": activity["year"], "organiser_agency_id": organiser_agency["id"],
             "action": fields["action"], "owner_agency_id": owner["id"], "due": fields["due"].isoformat(),
             "status": "open", "note": fields.get("note"), "done_at": None, "created_by": ctx.principal.sub}
    return ctx.repo.follow_ups.create(ctx.created(FOLLOW_UP, state, FOLLOW_UP_CREATED, action="create", agency=owner,
                                                  history={"status": "open", "note": fields.get("note")}))


def writable(ctx: ReformsContext, follow_up: dict) -> dict:
    """Whoever may write the owner's data (reporting progress) or the organiser's (who agreed it) may
    change a follow-up; returns the agency the write is recorded against."""
    agencies = ctx.repo.agencies([follow_up["owner_agency_id"], follow_up["organiser_agency_id"]])
    for agency_id in (follow_up["owner_agency_id"], follow_up["organiser_agency_id"]):
        agency = agencies.get(agency_id)
        if agency is not None and in_scope(ctx.principal, ref_of(agency)):
            authorize(ctx.principal, Action.WRITE, ref_of(agency))
            return agency
    raise Forbidden(f"Forbidden: changing a follow-up needs a token scoped to its owner "
                    f"{follow_up['owner_agency_id']} or its organiser {follow_up['organiser_agency_id']} (or above).",
                    Action.WRITE.value, follow_up["owner_agency_id"])


def update_follow_up(ctx: ReformsContext, follow_up_id: str, fields: dict, if_match: int | None) -> dict:
    """Change a follow-up's action, owner, due date or note, or move it open ⇄ in progress → done."""
    wanted = {k: fields[k].isoformat() if isinstance(fields[k], date) else fields[k] for k in EDITABLE if k in fields}

    def decide(follow_up: dict, agency: dict) -> Change | None:
        changes = {k: v for k, v in wanted.items() if v != follow_up.get(k)}
        if not changes:
            return None
        if "status" in changes:
            follow_up_status(follow_up["status"], changes["status"])
        elif follow_up["status"] == "done":
            follow_up_status("done", "open")  # a done follow-up is final: refuse with what is allowed
        if "owner_agency_id" in changes:
            ctx.active_agency(changes["owner_agency_id"], "owner_agency_id")
        status = changes.get("status", follow_up["status"])
        at = ctx.clock()
        if status == "done":
            changes["done_at"] = at
        contract = FOLLOW_UP_DONE if status == "done" and "status" in changes else FOLLOW_UP_UPDATED
        return ctx.changed(FOLLOW_UP, follow_up, changes, contract, action="done" if contract is FOLLOW_UP_DONE
                           else "update", agency=agency, history={"status": status, "note": fields.get("note")}, at=at,
                           extra={"changed": sorted(k for k in wanted if k in changes)})
    return ctx.repo.follow_ups.update(follow_up_id, decide, if_match=if_match, access=lambda f: writable(ctx, f))
