"""Registering people for an activity, withdrawing them, and recording who attended. The participants
live inside the activity, so each of these is one write of the activity, decided again when another desk
changed it first (eight desks registering at once lose nobody)."""
from __future__ import annotations

import uuid

from shared.auth.policy import Action
from shared.commands import Change
from shared.contracts.reforms import ATTENDANCE_MARKED, PARTICIPANT_REMOVED, PARTICIPANTS_REGISTERED
from shared.errors import NotFound
from shared.events.contracts import EventContract
from services.reforms.commands.common import ReformsContext, active_agencies
from services.reforms.domain import participants as rules
from services.reforms.domain.activity import ACTIVITY
from services.reforms.domain.lifecycle import OPEN_ACTIVITY, require_status

PUBLIC = ("id", "agency_id", "name", "position")


def _public(participant: dict) -> dict:
    return {k: participant.get(k) for k in PUBLIC}


def _with(ctx: ReformsContext, activity: dict, organiser_agency: dict, participants: list[dict],
          contract: EventContract, action: str, extra: dict, at=None) -> Change:
    """The activity with this participant list and the tallies kept beside it."""
    return ctx.changed(ACTIVITY, activity, {"participants": participants, **rules.tallies(participants)}, contract,
                       action=action, agency=organiser_agency, extra=extra, at=at)


def register_participants(ctx: ReformsContext, activity_id: str, people: list[dict], if_match: int | None) -> dict:
    """Register people (each from an active agency) for an open activity: all of them, or — if one is
    already registered, listed twice or from an unknown or inactive agency — none."""
    new_ids = [uuid.uuid4().hex[:12] for _ in people]
    added: list[dict] = []

    def decide(activity: dict, organiser_agency: dict) -> Change:
        require_status(activity["status"], OPEN_ACTIVITY, "register participants")
        active_agencies(ctx, [p["agency_id"] for p in people], "participants")
        at = ctx.clock()
        added[:] = rules.register(activity["participants"], people, new_ids, at)
        return _with(ctx, activity, organiser_agency, [*activity["participants"], *added], PARTICIPANTS_REGISTERED,
                     "register_participants", {"participants": [_public(p) for p in added]}, at=at)
    registered = ctx.repo.activities.update(activity_id, decide, if_match=if_match, access=ctx.organiser(Action.WRITE))
    ctx.repo.remember_respondents(activity_id, added)  # after the write: the roster never names a non-participant
    return registered


def remove_participant(ctx: ReformsContext, activity_id: str, participant_id: str, if_match: int | None) -> dict:
    """Withdraw a registration while the activity is open."""
    def decide(activity: dict, organiser_agency: dict) -> Change:
        require_status(activity["status"], OPEN_ACTIVITY, "withdraw a registration")
        removed = next((p for p in activity["participants"] if p["id"] == participant_id), None)
        if removed is None:
            raise NotFound(f"No participant {participant_id} in activity {activity_id}.")
        # Out of the survey roster before the write (idempotent, so deciding again is harmless): if the write then
        # fails, answering falls back to the activity itself.
        ctx.repo.forget_respondent(activity_id, removed)
        return _with(ctx, activity, organiser_agency, [p for p in activity["participants"] if p["id"] != participant_id],
                     PARTICIPANT_REMOVED, "remove_participant", {"participant": _public(removed)})
    return ctx.repo.activities.update(activity_id, decide, if_match=if_match, access=ctx.organiser(Action.WRITE))


def mark_attendance(ctx: ReformsContext, activity_id: str, attended: list[str], absent: list[str],
                    if_match: int | None) -> dict:
    """Record who attended and who did not, while the activity is in progress."""
    def decide(activity: dict, organiser_agency: dict) -> Change:
        require_status(activity["status"], ("in_progress",), "mark attendance")
        return _with(ctx, activity, organiser_agency, rules.mark_attendance(activity["participants"], attended, absent),
                     ATTENDANCE_MARKED, "mark_attendance", {"attended": attended, "absent": absent})
    return ctx.repo.activities.update(activity_id, decide, if_match=if_match, access=ctx.organiser(Action.WRITE))
