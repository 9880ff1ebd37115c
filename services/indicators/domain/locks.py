"""Period locks as events and audit records show them."""
from __future__ import annotations

from shared.commands import Kind


def lock_id(agency_id: str, period: str) -> str:
    return f"{agency_id}:{period}"


def snapshot_of(lock: dict) -> dict:
    return {"id": lock["id"], "agency_id": lock["agency_id"], "period": lock["period"], "locked": lock["locked"],
            "by": lock["by"], "at": lock["at"].isoformat(), "reason": lock.get("reason")}


LOCK = Kind("lock", snapshot_of, entity_type="period_lock")
