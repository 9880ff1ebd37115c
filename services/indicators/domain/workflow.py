"""The realisation workflow: what an agency achieved for an indicator in a period, and its verification.

    draft ──submit──▶ submitted ──verify──▶ verified
      ▲                   │                    │
      └──── edit ◀── rejected ◀──reject────────┘ (reopen, with a reason: back to draft)

A count of completed reform activities (an indicator fed by reforms) is submitted by the system as a new
version, from any state: a verified count that changes needs verifying again.
"""
from __future__ import annotations

from shared.commands import Kind
from shared.errors import Conflict

ALLOWED = {  # action -> the statuses it may start from
    "record": ("draft", "rejected"), "submit": ("draft", "rejected"), "verify": ("submitted",),
    "reject": ("submitted",), "reopen": ("verified", "rejected"),
    "count": ("draft", "rejected", "submitted", "verified"),
}
AFTER = {"record": "draft", "submit": "submitted", "verify": "verified", "reject": "rejected", "reopen": "draft",
         "count": "submitted"}
DONE = {"record": "recorded", "submit": "submitted", "verify": "verified", "reject": "rejected", "reopen": "reopened",
        "count": "counted"}
SNAPSHOT_FIELDS = ("id", "indicator_id", "agency_id", "period", "value", "status", "submitted_by", "verified_by")


def realisation_id(indicator_id: str, period: str) -> str:
    return f"{indicator_id}:{period}"


def snapshot_of(realisation: dict) -> dict:
    return {key: realisation.get(key) for key in SNAPSHOT_FIELDS}


REALISATION = Kind("realisation", snapshot_of)


def next_status(status: str, action: str) -> str:
    """The status after `action`; Conflict (invalid-transition) saying what is allowed from `status`."""
    if status not in ALLOWED[action]:
        allowed = [a for a, starts in ALLOWED.items() if status in starts and a != "count"]
        raise Conflict(f"A {status} realisation cannot be {DONE[action]}"
                       f"{'; from ' + status + ' it can be: ' + ', '.join(allowed) if allowed else ''}.",
                       kind="invalid-transition", current_status=status, allowed=allowed)
    return AFTER[action]
