"""Change commitments (aksi perubahan): what a participant commits to after an activity, in milestones with due
dates, with a mentor; how each milestone moves (planned → in progress → done, done final) and what the commitment's
status and next open due date are (kept beside the milestones, so that overdue lists read an index)."""
from __future__ import annotations

from typing import Iterable, Mapping

from shared.commands import Kind
from shared.errors import Conflict

MILESTONE_STATUSES = ("planned", "in_progress", "done")
MILESTONE_MOVES: dict[str, tuple[str, ...]] = {"planned": ("in_progress", "done"), "in_progress": ("planned", "done"),
                                               "done": ()}


def milestone_status(current: str, wanted: str) -> str:
    if wanted != current and wanted not in MILESTONE_MOVES[current]:
        raise Conflict(f"A milestone that is {current.replace('_', ' ')} cannot become {wanted.replace('_', ' ')}; "
                       f"allowed from {current}: {', '.join(MILESTONE_MOVES[current]) or 'nothing (it is final)'}.",
                       kind="invalid-transition", status=current, allowed=list(MILESTONE_MOVES[current]))
    return wanted


def status_of(milestones: Iterable[Mapping]) -> str:
    """planned until a milestone moves, done when every one is, in progress between."""
    statuses = [m["status"] for m in milestones]
    if statuses and all(s == "done" for s in statuses):
        return "done"
    return "planned" if all(s == "planned" for s in statuses) else "in_progress"


def derived(milestones: list[Mapping]) -> dict:
    """What a commitment keeps beside its milestones: its status, and the earliest due date still open."""
    open_dues = sorted(m["due"] for m in milestones if m["status"] != "done")
    return {"status": status_of(milestones), "next_due": open_dues[0] if open_dues else None}


def overdue(milestones: Iterable[Mapping], as_of: str) -> list[Mapping]:
    return [m for m in milestones if m["status"] != "done" and m["due"] < as_of]


SNAPSHOT_FIELDS = ("id", "activity_id", "participant_id", "owner_agency_id", "title", "status", "next_due")


def commitment_snapshot(commitment: Mapping) -> dict:
    """As events carry it: who committed to what and how far it is (never the participant's name)."""
    return {**{k: commitment.get(k) for k in SNAPSHOT_FIELDS},
            "milestones": [{k: m[k] for k in ("id", "title", "due", "status")} for m in commitment["milestones"]]}


COMMITMENT = Kind("commitment", commitment_snapshot, label="change commitment")
