"""Change commitments (aksi perubahan) made at an activity: a participant's action in milestones, with a mentor.

Who may write one: the participant themself (the token's subject is the NIP they were registered with), or whoever
may write the data of the participant's agency (its owner) or of the activity's organiser."""
from __future__ import annotations

import uuid
from datetime import date

from shared.auth.directory import ref_of
from shared.auth.policy import Action, authorize, in_scope
from shared.contracts.reforms import COMMITMENT_MADE, COMMITMENT_UPDATED
from shared.errors import Conflict, Forbidden, NotFound
from services.reforms.commands.common import ReformsContext
from services.reforms.domain import commitments as rules
from services.reforms.domain.commitments import COMMITMENT
from services.reforms.domain.lifecycle import require_status

MADE_IN = ("in_progress", "completed")  # committed at (or after) the activity
EDITABLE = ("title", "description", "mentor")
MILESTONE_EDITABLE = ("title", "due", "status", "evidence", "note")


def _milestone(fields: dict) -> dict:
    return {"id": str(uuid.uuid4()), "title": fields["title"], "due": fields["due"].isoformat(), "status": "planned",
            "evidence": [], "note": None, "done_at": None}


def _writer(ctx: ReformsContext, owner_id: str, organiser_id: str, nip: str | None) -> dict:
    """The agency the write is recorded against, or Forbidden (see the module)."""
    agencies = ctx.repo.agencies([owner_id, organiser_id])
    if nip is not None and ctx.principal.sub == nip:
        return agencies.get(owner_id) or {"id": owner_id, "path": []}
    for agency_id in (owner_id, organiser_id):
        agency = agencies.get(agency_id)
        if agency is not None and in_scope(ctx.principal, ref_of(agency)):
            authorize(ctx.principal, Action.WRITE, ref_of(agency))
            return agency
    raise Forbidden(f"Forbidden: a change commitment is written by its participant, or with a token scoped to the "
                    f"participant's agency {owner_id} or the organiser {organiser_id} (or above).",
                    Action.WRITE.value, owner_id)


def make_commitment(ctx: ReformsContext, activity_id: str, fields: dict) -> dict:
    """A participant's commitment at an activity in progress or completed (one per participant)."""
    activity = ctx.repo.activities.get(activity_id)
    if activity is None:
        raise NotFound(f"No activity {activity_id}.")
    participant = next((p for p in activity["participants"] if p["id"] == fields["participant_id"]), None)
    if participant is None:
        raise NotFound(f"No participant {fields['participant_id']} in activity {activity_id}.")
    agency = _writer(ctx, participant["agency_id"], activity["organiser_agency_id"], participant.get("nip"))
    require_status(activity["status"], MADE_IN, "make change commitments")
    milestones = [_milestone(m) for m in fields["milestones"]]
    state = {"id": str(uuid.uuid4()), "activity_id": activity["id"], "activity_title": activity["title"],
             "activity_year": activity["year"], "organiser_agency_id": activity["organiser_agency_id"],
             "participant_id": participant["id"], "participant_name": participant["name"],
             "participant_nip": participant.get("nip"), "owner_agency_id": participant["agency_id"],
             "title": fields["title"], "description": fields.get("description"), "mentor": fields.get("mentor"),
             "milestones": milestones, **rules.derived(milestones), "created_by": ctx.principal.sub}
    try:
        return ctx.repo.commitments.create(ctx.created(COMMITMENT, state, COMMITMENT_MADE, action="create",
                                                       agency=agency, history={"status": state["status"]}))
    except Conflict:
        raise Conflict(f"{participant['name']} has a change commitment for this activity already; change it instead.",
                       kind="duplicate") from None


def _access(ctx: ReformsContext):
    return lambda c: _writer(ctx, c["owner_agency_id"], c["organiser_agency_id"], c.get("participant_nip"))


def update_commitment(ctx: ReformsContext, commitment_id: str, fields: dict, if_match: int | None) -> dict:
    """Change the action's title, description or mentor, or add milestones (`add_milestones`)."""
    wanted = {k: fields[k] for k in EDITABLE if k in fields}

    def decide(commitment: dict, agency: dict):
        changes = {k: v for k, v in wanted.items() if v != commitment.get(k)}
        if fields.get("add_milestones"):
            milestones = [*commitment["milestones"], *(_milestone(m) for m in fields["add_milestones"])]
            changes |= {"milestones": milestones, **rules.derived(milestones)}
        if not changes:
            return None
        return ctx.changed(COMMITMENT, commitment, changes, COMMITMENT_UPDATED, action="update", agency=agency,
                           extra={"changed": sorted(k for k in changes if k not in ("status", "next_due"))})
    return ctx.repo.commitments.update(commitment_id, decide, if_match=if_match, access=_access(ctx))


def update_milestone(ctx: ReformsContext, commitment_id: str, milestone_id: str, fields: dict,
                     if_match: int | None) -> dict:
    """Report a milestone's progress (status, evidence links, note) or move its due date."""
    wanted = {k: fields[k].isoformat() if isinstance(fields[k], date) else fields[k]
              for k in MILESTONE_EDITABLE if k in fields}

    def decide(commitment: dict, agency: dict):
        milestone = next((m for m in commitment["milestones"] if m["id"] == milestone_id), None)
        if milestone is None:
            raise NotFound(f"No milestone {milestone_id} in change commitment {commitment_id}.")
        changes = {k: v for k, v in wanted.items() if v != milestone.get(k)}
        if not changes:
            return None
        if "status" in changes:
            rules.milestone_status(milestone["status"], changes["status"])
        elif milestone["status"] == "done" and set(changes) & {"title", "due"}:
            rules.milestone_status("done", "planned")  # a done milestone keeps what was done: refuse, saying so
        at = ctx.clock()
        if changes.get("status") == "done":
            changes["done_at"] = at
        milestones = [{**m, **changes} if m["id"] == milestone_id else m for m in commitment["milestones"]]
        return ctx.changed(COMMITMENT, commitment, {"milestones": milestones, **rules.derived(milestones)},
                           COMMITMENT_UPDATED, action="progress", agency=agency, at=at,
                           history={"status": rules.status_of(milestones), "milestone_id": milestone_id,
                                    "milestone_status": changes.get("status", milestone["status"])},
                           extra={"changed": [f"milestones.{milestone_id}.{k}" for k in sorted(wanted)
                                              if k in changes]})
    return ctx.repo.commitments.update(commitment_id, decide, if_match=if_match, access=_access(ctx))
