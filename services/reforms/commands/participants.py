"""Registering people for an activity, withdrawing them, and recording who attended."""
from __future__ import annotations

import uuid

from shared.auth.policy import Action
from shared.clock import now
from shared.contracts.reforms import ATTENDANCE_MARKED, PARTICIPANT_REMOVED, PARTICIPANTS_REGISTERED
from shared.errors import NotFound
from services.reforms.commands.activities import existing, write
from services.reforms.commands.common import ReformsContext, active_agencies, expected_version, retrying_when_stale
from services.reforms.domain import participants as rules
from services.reforms.domain.lifecycle import OPEN_ACTIVITY, require_status

PUBLIC = ("id", "agency_id", "name", "position")


def _public(participant: dict) -> dict:
    return {k: participant.get(k) for k in PUBLIC}


def register_participants(ctx: ReformsContext, activity_id: str, people: list[dict], if_match: int | None) -> dict:
    """Register people (each from an active agency) for an open activity: all of them, or — if one is
    already registered, listed twice or from an unknown or inactive agency — none."""
    new_ids = [uuid.uuid4().hex[:12] for _ in people]

    def attempt() -> dict:
        activity, organiser = existing(ctx, activity_id, Action.WRITE)
        expected_version(activity, if_match, "activity")
        require_status(activity["status"], OPEN_ACTIVITY, "register participants")
        active_agencies(ctx, [p["agency_id"] for p in people], "participants")
        added = rules.register(activity["participants"], people, new_ids, now())
        participants = [*activity["participants"], *added]
        return write(ctx, activity, organiser, {"participants": participants, **rules.tallies(participants)},
                     PARTICIPANTS_REGISTERED, "register_participants",
                     extra={"participants": [_public(p) for p in added]})
    return retrying_when_stale(if_match, attempt)


def remove_participant(ctx: ReformsContext, activity_id: str, participant_id: str, if_match: int | None) -> dict:
    """Withdraw a registration while the activity is open."""
    def attempt() -> dict:
        activity, organiser = existing(ctx, activity_id, Action.WRITE)
        expected_version(activity, if_match, "activity")
        require_status(activity["status"], OPEN_ACTIVITY, "withdraw a registration")
        removed = next((p for p in activity["participants"] if p["id"] == participant_id), None)
        if removed is None:
            raise NotFound(f"No participant {participant_id} in activity {activity_id}.")
        participants = [p for p in activity["participants"] if p["id"] != participant_id]
        return write(ctx, activity, organiser, {"participants": participants, **rules.tallies(participants)},
                     PARTICIPANT_REMOVED, "remove_participant", extra={"participant": _public(removed)})
    return retrying_when_stale(if_match, attempt)


def mark_attendance(ctx: ReformsContext, activity_id: str, attended: list[str], absent: list[str],
                    if_match: int | None) -> dict:
    """Record who attended and who did not, while the activity is in progress."""
    def attempt() -> dict:
        activity, organiser = existing(ctx, activity_id, Action.WRITE)
        expected_version(activity, if_match, "activity")
        require_status(activity["status"], ("in_progress",), "mark attendance")
        participants = rules.mark_attendance(activity["participants"], attended, absent)
        return write(ctx, activity, organiser, {"participants": participants, **rules.tallies(participants)},
                     ATTENDANCE_MARKED, "mark_attendance", extra={"attended": attended, "absent": absent})
    return retrying_when_stale(if_match, attempt)
