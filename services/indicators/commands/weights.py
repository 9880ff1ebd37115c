"""How much an agency counts in its parent's roll-up (default 1): set by whoever may write the parent."""
from __future__ import annotations

from shared.auth.directory import ref_of
from shared.auth.policy import Action, authorize
from shared.commands import Change
from shared.contracts.indicators import WEIGHT_SET
from shared.errors import Invalid
from services.indicators.commands.common import IndicatorsContext
from services.indicators.domain.scorecard import WEIGHT


def set_rollup_weight(ctx: IndicatorsContext, agency_id: str, weight: float) -> dict:
    agency = ctx.authorized_agency(agency_id, Action.READ)
    parent = ctx.repo.agency(agency["parent_id"]) if agency.get("parent_id") else None
    if parent is None:
        raise Invalid.field("agency_id", "a root agency is in no roll-up; weights belong to agencies with a parent")
    authorize(ctx.principal, Action.WRITE, ref_of(parent))

    def decide(current: dict | None, _) -> Change:
        at = ctx.clock()
        state = {"weight": weight, "by": ctx.principal.sub, "at": at}
        if current is None:
            return ctx.created(WEIGHT, {"id": agency_id, **state}, WEIGHT_SET, action="set_weight", agency=agency, at=at)
        return ctx.changed(WEIGHT, current, state, WEIGHT_SET, action="set_weight", agency=agency, at=at)
    return ctx.repo.weights_store.update(agency_id, decide, create=True)
