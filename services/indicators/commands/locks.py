"""Period locks: an evaluator (or admin) closes a period for an agency subtree; every write into it is
then refused, saying who locked it and when. Unlocking needs a reason; the history stays."""
from __future__ import annotations

from shared.auth.policy import Action
from shared.commands import Change
from shared.contracts.indicators import PERIOD_LOCKED, PERIOD_UNLOCKED
from shared.errors import Conflict
from services.indicators.commands.common import IndicatorsContext, period_of
from services.indicators.domain.locks import LOCK, lock_id


def lock_period(ctx: IndicatorsContext, agency_id: str, period_text: str, reason: str | None) -> dict:
    agency = ctx.authorized_agency(agency_id, Action.VERIFY)
    period = str(period_of(period_text))

    def decide(current: dict | None, _) -> Change:
        at = ctx.clock()
        entry = {"locked": True, "by": ctx.principal.sub, "at": at, "reason": reason}
        if current is None:
            return ctx.created(LOCK, {"id": lock_id(agency_id, period), "agency_id": agency_id, "period": period,
                                      **entry}, PERIOD_LOCKED, action="lock", agency=agency, reason=reason,
                               history=entry, at=at)
        if current["locked"]:
            raise Conflict(f"Period {period} of this agency is already locked by {current['by']} since "
                           f"{current['at'].isoformat()}.", kind="period-locked")
        return ctx.changed(LOCK, current, entry, PERIOD_LOCKED, action="lock", agency=agency, reason=reason,
                           history=entry, at=at)
    return ctx.repo.locks.update(lock_id(agency_id, period), decide, create=True)


def unlock_period(ctx: IndicatorsContext, lock_key: str, reason: str) -> dict:
    def decide(current: dict, agency: dict) -> Change | None:
        if not current["locked"]:
            return None
        at = ctx.clock()
        entry = {"locked": False, "by": ctx.principal.sub, "at": at, "reason": reason}
        return ctx.changed(LOCK, current, entry, PERIOD_UNLOCKED, action="unlock", agency=agency, reason=reason,
                           history=entry, at=at)
    return ctx.repo.locks.update(lock_key, decide, access=ctx.owner(Action.VERIFY))
