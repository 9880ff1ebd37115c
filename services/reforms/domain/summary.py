"""The reform summary of an agency for a year, and its roll-up over the agency's subtree.

Everything is counted as flat counters per agency (own facts only), summed up the tree, and rendered
at the end; so every figure of a roll-up is exactly the sum of the agency's own figure and its
children's roll-ups, and the attendance rate is computed once, from the summed counts.

- activities: those the agency organised, by status and by area × status;
- participants: people registered for / attending the agency's activities (cancelled ones left out),
  with the attendance rate over completed activities;
- participation: the agency's own people in anyone's activities (cancelled ones left out);
- follow-ups: the actions the agency owns from the year's activities, by status, and overdue ones
  (not done and due before `as_of`).
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Iterable

from shared.contracts.reforms import ACTIVITY_STATUSES, FOLLOW_UP_STATUSES
from shared.reform_areas import AREAS


def own_counters(agency_ids: Iterable[str], activities: Iterable[dict], participation: Iterable[dict],
                 follow_ups: Iterable[dict], as_of: date) -> dict[str, Counter]:
    """Each agency's own counters. `activities`: organiser_agency_id, area, status, planned_participants,
    registered, attended; `participation`: an activity's status and by_agency rows; `follow_ups`:
    owner_agency_id, status, due (ISO date)."""
    own = {agency_id: Counter() for agency_id in agency_ids}
    for activity in activities:
        counters = own.get(activity["organiser_agency_id"])
        if counters is None:
            continue
        status = activity["status"]
        counters[f"activities.{status}"] += 1
        counters[f"area.{activity['area']}.{status}"] += 1
        if status == "cancelled":
            continue
        counters["participants.planned"] += activity.get("planned_participants") or 0
        counters["participants.registered"] += activity.get("registered", 0)
        counters["participants.attended"] += activity.get("attended", 0)
        if status == "completed":
            counters["participants.registered_completed"] += activity.get("registered", 0)
            counters["participants.attended_completed"] += activity.get("attended", 0)
    for activity in participation:
        if activity["status"] == "cancelled":
            continue
        for row in activity.get("by_agency", ()):
            counters = own.get(row["agency_id"])
            if counters is not None:
                counters["participation.registered"] += row["registered"]
                counters["participation.attended"] += row["attended"]
    today = as_of.isoformat()
    for follow_up in follow_ups:
        counters = own.get(follow_up["owner_agency_id"])
        if counters is None:
            continue
        counters[f"follow_ups.{follow_up['status']}"] += 1
        if follow_up["status"] != "done" and follow_up["due"] < today:
            counters["follow_ups.overdue"] += 1
    return own


def roll_up(agencies: list[dict], own: dict[str, Counter]) -> dict[str, Counter]:
    """Each agency's counters plus those of every agency below it (within the given subtree)."""
    rolled = {agency["id"]: Counter() for agency in agencies}
    for agency in agencies:
        for target in (agency["id"], *agency.get("path", ())):
            if target in rolled:
                rolled[target].update(own.get(agency["id"], Counter()))
    return rolled


def render(counters: Counter) -> dict:
    by_status = {status: counters[f"activities.{status}"] for status in ACTIVITY_STATUSES}
    by_area = [{"code": area.code, "name": area.name, "group": area.group,
                "total": sum(counters[f"area.{area.code}.{s}"] for s in ACTIVITY_STATUSES),
                **{s: counters[f"area.{area.code}.{s}"] for s in ACTIVITY_STATUSES}} for area in AREAS]
    registered_completed = counters["participants.registered_completed"]
    follow_up_status = {status: counters[f"follow_ups.{status}"] for status in FOLLOW_UP_STATUSES}
    return {
        "activities": {"total": sum(by_status.values()), "by_status": by_status, "by_area": by_area},
        "participants": {
            "planned": counters["participants.planned"], "registered": counters["participants.registered"],
            "attended": counters["participants.attended"], "registered_in_completed": registered_completed,
            "attended_in_completed": counters["participants.attended_completed"],
            "attendance_rate": round(counters["participants.attended_completed"] / registered_completed * 100, 2)
            if registered_completed else None},
        "participation": {"registered": counters["participation.registered"],
                          "attended": counters["participation.attended"]},
        "follow_ups": {"total": sum(follow_up_status.values()), **follow_up_status,
                       "overdue": counters["follow_ups.overdue"]},
    }
