"""Planning, changing and running reform activities: planned → in progress → completed | cancelled."""
from __future__ import annotations

import uuid

from shared.auth.directory import ref_of
from shared.auth.policy import Action, authorize
from shared.clock import now
from shared.contracts.reforms import (ACTIVITY_CANCELLED, ACTIVITY_COMPLETED, ACTIVITY_PLANNED, ACTIVITY_STARTED,
                                      ACTIVITY_UPDATED)
from shared.errors import NotFound
from shared.events.contracts import EventContract
from shared.store.aggregates import NewEvent
from services.reforms.commands.common import (ReformsContext, active_agency, audit, authorized_agency,
                                              expected_version, linkable_indicators, retrying_when_stale)
from services.reforms.domain.lifecycle import OPEN_ACTIVITY, next_status, require_status
from services.reforms.domain.schedule import local, schedule

DESCRIPTIVE = ("title", "description", "kind", "area", "facilitator", "speakers", "venue", "planned_participants",
               "linked_indicator_ids")


def snapshot_of(activity: dict) -> dict:
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


def existing(ctx: ReformsContext, activity_id: str, action: Action) -> tuple[dict, dict]:
    """The activity and its organiser, if the caller may perform `action` on the organiser's data."""
    activity = ctx.repo.activities.get(activity_id)
    if activity is None:
        raise NotFound(f"No activity {activity_id}.")
    return activity, authorized_agency(ctx, activity["organiser_agency_id"], action)


def _check_references(ctx: ReformsContext, fields: dict) -> None:
    facilitator = fields.get("facilitator") or {}
    if facilitator.get("agency_id"):
        active_agency(ctx, facilitator["agency_id"], "facilitator.agency_id")
    if fields.get("linked_indicator_ids"):
        linkable_indicators(ctx, fields["linked_indicator_ids"])


def plan_activity(ctx: ReformsContext, fields: dict) -> dict:
    """A new activity organised by an active agency the caller may write to."""
    organiser = active_agency(ctx, fields["organiser_agency_id"], "organiser_agency_id")
    authorize(ctx.principal, Action.WRITE, ref_of(organiser))
    _check_references(ctx, fields)
    at = now()
    state = {"id": str(uuid.uuid4()), **{k: fields.get(k) for k in DESCRIPTIVE},
             "speakers": fields.get("speakers") or [], "linked_indicator_ids": fields.get("linked_indicator_ids") or [],
             "organiser_agency_id": organiser["id"], **schedule(fields["start"], fields["end"]), "status": "planned",
             "participants": [], "registered": 0, "attended": 0, "participant_agency_ids": [],
             "attended_agency_ids": [], "by_agency": [], "summary": None, "outcomes": [], "cancel_reason": None,
             "history": [{"at": at, "by": ctx.principal.sub, "status": "planned", "reason": None}],
             "created_by": ctx.principal.sub, "created_at": at, "updated_at": at}
    snapshot = snapshot_of(state)
    return ctx.repo.activities.create(state, NewEvent(ACTIVITY_PLANNED, {"activity": snapshot}),
                                      audit(ctx, "plan", "activity", state["id"], organiser, None, snapshot))


def write(ctx: ReformsContext, activity: dict, organiser: dict, changes: dict, contract: EventContract,
          action: str, extra: dict | None = None, reason: str | None = None) -> dict:
    """Store `changes` of the activity with its event (snapshot after the change) and audit record."""
    changes = {**changes, "updated_at": now()}
    after = {**activity, **changes}
    before_snapshot, after_snapshot = snapshot_of(activity), snapshot_of(after)
    return ctx.repo.activities.change(
        activity["id"], activity["version"], changes, NewEvent(contract, {"activity": after_snapshot, **(extra or {})}),
        audit(ctx, action, "activity", activity["id"], organiser, before_snapshot, after_snapshot, reason))


def update_activity(ctx: ReformsContext, activity_id: str, fields: dict, if_match: int | None) -> dict:
    """Change what an open activity is, when and where it takes place, who speaks, what it supports."""
    activity, organiser = existing(ctx, activity_id, Action.WRITE)
    expected_version(activity, if_match, "activity")
    require_status(activity["status"], OPEN_ACTIVITY, "change an activity")
    changes = {k: fields[k] for k in DESCRIPTIVE if k in fields and fields[k] != activity.get(k)}
    _check_references(ctx, changes)  # what stays as it was is not checked again (a link may have retired since)
    if "start" in fields or "end" in fields:
        offset = activity["utc_offset_minutes"]
        timing = schedule(fields.get("start") or local(activity["start"], offset),
                          fields.get("end") or local(activity["end"], offset))
        changes.update({k: v for k, v in timing.items() if v != activity.get(k)})
    if not changes:
        return activity
    return write(ctx, activity, organiser, changes, ACTIVITY_UPDATED, "update",
                 extra={"changed": sorted(k for k in changes if k != "utc_offset_minutes")})


def _move(ctx: ReformsContext, activity_id: str, verb: str, if_match: int | None, contract: EventContract,
          extra_changes: dict, extra: dict, reason: str | None = None) -> dict:
    def attempt() -> dict:
        activity, organiser = existing(ctx, activity_id, Action.WRITE)
        expected_version(activity, if_match, "activity")
        status = next_status(activity["status"], verb)
        entry = {"at": now(), "by": ctx.principal.sub, "status": status, "reason": reason}
        return write(ctx, activity, organiser, {"status": status, "history": [*activity["history"], entry],
                                                **extra_changes}, contract, verb, extra, reason)
    return retrying_when_stale(if_match, attempt)


def start_activity(ctx: ReformsContext, activity_id: str, if_match: int | None) -> dict:
    return _move(ctx, activity_id, "start", if_match, ACTIVITY_STARTED, {}, {})


def complete_activity(ctx: ReformsContext, activity_id: str, summary: str, outcomes: list[str],
                      if_match: int | None) -> dict:
    """The activity took place: its summary and outcomes are recorded, and indicators it is linked to
    count it (kinerja.activity.completed)."""
    return _move(ctx, activity_id, "complete", if_match, ACTIVITY_COMPLETED, {"summary": summary, "outcomes": outcomes},
                 {"summary": summary, "outcomes": outcomes})


def cancel_activity(ctx: ReformsContext, activity_id: str, reason: str, if_match: int | None) -> dict:
    return _move(ctx, activity_id, "cancel", if_match, ACTIVITY_CANCELLED, {"cancel_reason": reason},
                 {"reason": reason}, reason)
