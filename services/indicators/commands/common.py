"""What every indicators command shares: its context, the agency checks and period locks."""
from __future__ import annotations

from dataclasses import dataclass

from shared.auth.directory import active_agency as require_active, permitted_agency
from shared.auth.policy import Action
from shared.auth.tokens import Principal
from shared.errors import Conflict, Invalid
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.domain.periods import InvalidPeriod, Period, parse_period

KNOWN_HERE = " is known to this service"  # the replica may not have caught up with the registry yet

SYSTEM = Principal(sub="system:indicators-worker", role="admin", agency_id="*")


@dataclass(frozen=True)
class IndicatorsContext:
    principal: Principal
    repo: IndicatorsRepository



def active_agency(ctx: IndicatorsContext, agency_id: str, field: str = "agency_id") -> dict:
    """The agency as this service's replica knows it; Invalid unless it exists and is active."""
    return require_active(ctx.repo.agency(agency_id), agency_id, field, KNOWN_HERE)


def authorized_agency(ctx: IndicatorsContext, agency_id: str, action: Action) -> dict:
    """The agency (existing, any status) if the caller may perform `action` on its data."""
    return permitted_agency(ctx.principal, action, ctx.repo.agency(agency_id), agency_id, KNOWN_HERE)


def period_of(text: str, frequency: str | None = None, field: str = "period") -> Period:
    try:
        return parse_period(text, frequency)
    except InvalidPeriod as err:
        raise Invalid.field(field, str(err)) from None


def refuse_if_locked(ctx: IndicatorsContext, agency: dict, period: Period) -> None:
    """A write into a locked period (of the agency or an ancestor, for the period or a period containing
    it) is refused, saying who locked it and when."""
    locks = ctx.repo.locks_covering([agency["id"], *agency.get("path", [])], [str(p) for p in period.containing()])
    if locks:
        lock = locks[0]
        scope = "" if lock["agency_id"] == agency["id"] else f" (locked for the subtree of agency {lock['agency_id']})"
        raise Conflict(f"Period {lock['period']} is locked{scope} by {lock['by']} since {lock['at'].isoformat()}; "
                       "ask them to unlock it.", kind="period-locked", locked_by=lock["by"],
                       locked_at=lock["at"].isoformat(), lock_id=lock["id"])
