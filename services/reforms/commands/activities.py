"""Planning, changing and running reform activities: planned → in progress → completed | cancelled."""
from __future__ import annotations

import uuid

from shared.auth.directory import ref_of
from shared.auth.policy import Action, authorize
from shared.commands import Change
from shared.contracts.reforms import (ACTIVITY_CANCELLED, ACTIVITY_COMPLETED, ACTIVITY_PLANNED, ACTIVITY_STARTED,
                                      ACTIVITY_UPDATED)
from shared.events.contracts import EventContract
from services.reforms.commands.common import ReformsContext, linkable_indicators
from services.reforms.domain.activity import ACTIVITY
from services.reforms.domain.lifecycle import OPEN_ACTIVITY, next_status, require_status
from services.reforms.domain.schedule import local, schedule

DESCRIPTIVE = ("title", "description", "kind", "area", "facilitator", "speakers", "venue", "planned_participants",
               "linked_indicator_ids")


def _check_references(ctx: ReformsContext, fields: dict) -> None:
    facilitator = fields.get("facilitator") or {}
    if facilitator.get("agency_id"):
        ctx.active_agency(facilitator["agency_id"], "facilitator.agency_id")
    if fields.get("linked_indicator_ids"):
        linkable_indicators(ctx, fields["linked_indicator_ids"])


def plan_activity(ctx: ReformsContext, fields: dict) -> dict:
    """A new activity organised by an active agency the caller may write to."""
    organiser_agency = ctx.active_agency(fields["organiser_agency_id"], "organiser_agency_id")
    authorize(ctx.principal, Action.WRITE, ref_of(organiser_agency))
    _check_references(ctx, fields)
    state = {"id": str(uuid.uuid4()), **{k: fields.get(k) for k in DESCRIPTIVE},
             "speakers": fields.get("speakers") or [], "linked_indicator_ids": fields.get("linked_indicator_ids") or [],
             "organiser_agency_id": organiser_agency["id"], **schedule(fields["start"], fields["end"]),
             "status": "planned", "participants": [], "registered": 0, "attended": 0, "participant_agency_ids": [],
             "attended_agency_ids": [], "by_agency": [], "summary": None, "outcomes": [], "cancel_reason": None,
             "created_by": ctx.principal.sub}
    return ctx.repo.activities.create(ctx.created(ACTIVITY, state, ACTIVITY_PLANNED, action="plan",
                                                  agency=organiser_agency,
                                                  history={"status": "planned", "reason": None}))


def update_activity(ctx: ReformsContext, activity_id: str, fields: dict, if_match: int | None) -> dict:
    """Change what an open activity is, when and where it takes place, who speaks, what it supports."""
    def decide(activity: dict, organiser_agency: dict) -> Change | None:
        require_status(activity["status"], OPEN_ACTIVITY, "change an activity")
        changes = {k: fields[k] for k in DESCRIPTIVE if k in fields and fields[k] != activity.get(k)}
        _check_references(ctx, changes)  # what stays as it was is not checked again (a link may have retired since)
        if "start" in fields or "end" in fields:
            offset = activity["utc_offset_minutes"]
            timing = schedule(fields.get("start") or local(activity["start"], offset),
                              fields.get("end") or local(activity["end"], offset))
            changes.update({k: v for k, v in timing.items() if v != activity.get(k)})
        if not changes:
            return None
        return ctx.changed(ACTIVITY, activity, changes, ACTIVITY_UPDATED, action="update", agency=organiser_agency,
                           extra={"changed": sorted(k for k in changes if k != "utc_offset_minutes")})
    return ctx.repo.activities.update(activity_id, decide, if_match=if_match, access=ctx.organiser(Action.WRITE))


def _move(ctx: ReformsContext, activity_id: str, verb: str, if_match: int | None, contract: EventContract,
          extra_changes: dict, extra: dict, reason: str | None = None) -> dict:
    def decide(activity: dict, organiser_agency: dict) -> Change:
        status = next_status(activity["status"], verb)
        return ctx.changed(ACTIVITY, activity, {"status": status, **extra_changes}, contract, action=verb,
                           agency=organiser_agency, extra=extra, reason=reason,
                           history={"status": status, "reason": reason})
    return ctx.repo.activities.update(activity_id, decide, if_match=if_match, access=ctx.organiser(Action.WRITE))


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
