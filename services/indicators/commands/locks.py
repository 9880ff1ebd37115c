"""Period locks: an evaluator (or admin) closes a period for an agency subtree; every write into it is
then refused, saying who locked it and when. Unlocking needs a reason; the history stays."""
from __future__ import annotations

from shared.audit import audit_entry
from shared.auth.policy import Action
from shared.clock import now
from shared.contracts.indicators import PERIOD_LOCKED, PERIOD_UNLOCKED
from shared.errors import Conflict, NotFound
from shared.store.aggregates import NewEvent
from services.indicators.commands.common import IndicatorsContext, authorized_agency, period_of


def lock_id(agency_id: str, period: str) -> str:
    return f"{agency_id}:{period}"


def _snapshot(lock: dict) -> dict:
    return {"id": lock["id"], "agency_id": lock["agency_id"], "period": lock["period"], "locked": lock["locked"],
            "by": lock["by"], "at": lock["at"].isoformat(), "reason": lock.get("reason")}


def _audit(ctx, agency, lock, action, reason):
    return audit_entry(ctx.principal, action=action, entity_type="period_lock", entity_id=lock["id"],
                       agency_id=agency["id"], agency_path=[*agency.get("path", []), agency["id"]], before=None,
                       after=_snapshot(lock), reason=reason)


def lock_period(ctx: IndicatorsContext, agency_id: str, period_text: str, reason: str | None) -> dict:
    agency = authorized_agency(ctx, agency_id, Action.VERIFY)
    period = str(period_of(period_text))
    key = lock_id(agency_id, period)
    current = ctx.repo.locks.get(key)
    if current is not None and current["locked"]:
        raise Conflict(f"Period {period} of this agency is already locked by {current['by']} since "
                       f"{current['at'].isoformat()}.", kind="period-locked")
    at = now()
    entry = {"locked": True, "by": ctx.principal.sub, "at": at, "reason": reason}
    if current is None:
        lock = {"id": key, "agency_id": agency_id, "period": period, **entry, "history": [entry]}
        return ctx.repo.locks.create(lock, NewEvent(PERIOD_LOCKED, {"lock": _snapshot(lock)}),
                                     _audit(ctx, agency, lock, "lock", reason))
    after = {**current, **entry}
    return ctx.repo.locks.change(key, current["version"], {**entry, "history": [*current["history"], entry]},
                                 NewEvent(PERIOD_LOCKED, {"lock": _snapshot(after)}),
                                 _audit(ctx, agency, after, "lock", reason))


def unlock_period(ctx: IndicatorsContext, lock_key: str, reason: str) -> dict:
    current = ctx.repo.locks.get(lock_key)
    if current is None:
        raise NotFound(f"No period lock {lock_key}.")
    agency = authorized_agency(ctx, current["agency_id"], Action.VERIFY)
    if not current["locked"]:
        return current
    entry = {"locked": False, "by": ctx.principal.sub, "at": now(), "reason": reason}
    after = {**current, **entry}
    return ctx.repo.locks.change(lock_key, current["version"], {**entry, "history": [*current["history"], entry]},
                                 NewEvent(PERIOD_UNLOCKED, {"lock": _snapshot(after)}),
                                 _audit(ctx, agency, after, "unlock", reason))
