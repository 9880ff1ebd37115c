"""What every indicators command shares: its context, periods and period locks."""
from __future__ import annotations

from dataclasses import dataclass

from shared.auth.tokens import Principal
from shared.commands import ReplicaContext
from shared.errors import Conflict, Invalid
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.domain.periods import InvalidPeriod, Period, parse_period

SYSTEM = Principal(sub="system:indicators-worker", role="admin", agency_id="*")


@dataclass(frozen=True)
class IndicatorsContext(ReplicaContext):
    repo: IndicatorsRepository


def period_of(text: str, frequency: str | None = None, field: str = "period") -> Period:
    try:
        return parse_period(text, frequency)
    except InvalidPeriod as err:
        raise Invalid.field(field, str(err)) from None


def lock_covering(ctx: IndicatorsContext, agency: dict, period: Period) -> dict | None:
    """The lock (of the agency or an ancestor, for the period or a period containing it) that closes the
    period for the agency, if any."""
    locks = ctx.repo.locks_covering([agency["id"], *agency.get("path", [])], [str(p) for p in period.containing()])
    return locks[0] if locks else None


def refuse_if_locked(ctx: IndicatorsContext, agency: dict, period: Period) -> None:
    """A write into a locked period is refused, saying who locked it and when."""
    lock = lock_covering(ctx, agency, period)
    if lock is not None:
        scope = "" if lock["agency_id"] == agency["id"] else f" (locked for the subtree of agency {lock['agency_id']})"
        raise Conflict(f"Period {lock['period']} is locked{scope} by {lock['by']} since {lock['at'].isoformat()}; "
                       "ask them to unlock it.", kind="period-locked", locked_by=lock["by"],
                       locked_at=lock["at"].isoformat(), lock_id=lock["id"])
