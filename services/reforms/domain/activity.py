"""Activities and follow-ups as events and audit records show them."""
from __future__ import annotations

from shared.commands import Kind
from services.reforms.domain.schedule import local

FOLLOW_UP_FIELDS = ("id", "activity_id", "action", "owner_agency_id", "due", "status")


def activity_snapshot(activity: dict) -> dict:
    """The activity as every event carries it (no participant list: its tallies)."""
    offset = activity["utc_offset_minutes"]
    return {"id": activity["id"], "title": activity["title"], "kind": activity["kind"], "area": activity["area"],
            "organiser_agency_id": activity["organiser_agency_id"], "status": activity["status"],
            "start": local(activity["start"], offset).isoformat(), "end": local(activity["end"], offset).isoformat(),
            "linked_indicator_ids": list(activity["linked_indicator_ids"]),
            "participant_agency_ids": list(activity.get("participant_agency_ids", [])),
            "attended_agency_ids": list(activity.get("attended_agency_ids", [])),
            "planned_participants": activity.get("planned_participants"),
            "registered": activity.get("registered", 0), "attended": activity.get("attended", 0)}


def follow_up_snapshot(follow_up: dict) -> dict:
    return {k: follow_up[k] for k in FOLLOW_UP_FIELDS}


ACTIVITY = Kind("activity", activity_snapshot, searchable=("title",))
FOLLOW_UP = Kind("follow_up", follow_up_snapshot, label="follow-up")
