"""How much an agency counts in its parent's roll-up (default 1): set by whoever may write the parent."""
from __future__ import annotations

from shared.audit import audit_entry
from shared.auth.directory import ref_of
from shared.auth.policy import Action, authorize
from shared.clock import now
from shared.contracts.indicators import WEIGHT_SET
from shared.errors import Invalid
from shared.store.aggregates import NewEvent
from services.indicators.commands.common import IndicatorsContext, authorized_agency


def set_rollup_weight(ctx: IndicatorsContext, agency_id: str, weight: float) -> dict:
    agency = authorized_agency(ctx, agency_id, Action.READ)
    parent = ctx.repo.agency(agency["parent_id"]) if agency.get("parent_id") else None
    if parent is None:
        raise Invalid.field("agency_id", "a root agency is in no roll-up; weights belong to agencies with a parent")
    authorize(ctx.principal, Action.WRITE, ref_of(parent))
    current = ctx.repo.weights_store.get(agency_id)
    state = {"weight": weight, "by": ctx.principal.sub, "at": now()}
    event = NewEvent(WEIGHT_SET, {"weight": {"id": agency_id, "weight": weight}})
    audit = audit_entry(ctx.principal, action="set_weight", entity_type="agency_weight", entity_id=agency_id,
                        agency_id=agency_id, agency_path=[*agency.get("path", []), agency_id],
                        before={"weight": current["weight"]} if current else {"weight": 1.0}, after={"weight": weight})
    if current is None:
        return ctx.repo.weights_store.create({"id": agency_id, **state}, event, audit)
    return ctx.repo.weights_store.change(agency_id, current["version"], state, event, audit)
