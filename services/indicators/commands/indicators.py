"""Defining, changing and retiring indicators, and setting their targets (with revision history)."""
from __future__ import annotations

import uuid

from shared.auth.directory import ref_of
from shared.auth.policy import Action, authorize
from shared.commands import Change
from shared.contracts.indicators import INDICATOR_DEFINED, INDICATOR_RETIRED, INDICATOR_UPDATED, TARGET_SET
from shared.errors import Conflict, Invalid, NotFound
from services.indicators.commands.common import IndicatorsContext, period_of, refuse_if_locked
from services.indicators.domain.indicator import DESCRIPTIVE, INDICATOR, describe_target

DEFINED_FIELDS = ("agency_id", "code", "name", "definition", "unit", "polarity", "frequency", "baseline", "weight",
                  "category", "parent_indicator_id", "fed_by_reforms")


def existing(ctx: IndicatorsContext, indicator_id: str, action: Action) -> tuple[dict, dict]:
    """The indicator and its agency, if the caller may perform `action` on the agency's data."""
    indicator = ctx.repo.indicators.get(indicator_id)
    if indicator is None:
        raise NotFound(f"No indicator {indicator_id}.")
    return indicator, ctx.authorized_agency(indicator["agency_id"], action)


def _check_parent(ctx: IndicatorsContext, agency: dict, parent_id: str | None, own_id: str | None = None) -> None:
    """The cascade (pohon kinerja): a parent indicator belongs to an ancestor agency, and no cycles."""
    if parent_id is None:
        return
    parent = ctx.repo.indicators.get(parent_id)
    if parent is None:
        raise Invalid.field("parent_indicator_id", f"no indicator {parent_id}")
    if parent["agency_id"] not in agency.get("path", []):
        raise Invalid.field("parent_indicator_id", "the parent indicator must belong to an ancestor agency "
                                                   f"(it belongs to {parent['agency_id']})")
    seen = {own_id}
    while parent is not None:
        if parent["id"] in seen:
            raise Invalid.field("parent_indicator_id", "the cascade would loop back to this indicator")
        seen.add(parent["id"])
        parent = ctx.repo.indicators.get(parent["parent_indicator_id"]) if parent.get("parent_indicator_id") else None


def _active(indicator: dict, doing: str) -> None:
    if indicator["status"] != "active":
        raise Conflict(f"A retired indicator {doing}.", kind="retired")


def define_indicator(ctx: IndicatorsContext, fields: dict) -> dict:
    """A new indicator of an active agency the caller may write to; its code is unique in the agency."""
    agency = ctx.active_agency(fields["agency_id"])
    authorize(ctx.principal, Action.WRITE, ref_of(agency))
    _check_parent(ctx, agency, fields.get("parent_indicator_id"))
    state = {"id": str(uuid.uuid4()), **{k: fields.get(k) for k in DEFINED_FIELDS}, "status": "active",
             "targets": {}, "target_history": []}
    try:
        return ctx.repo.indicators.create(ctx.created(INDICATOR, state, INDICATOR_DEFINED, action="define",
                                                      agency=agency))
    except Conflict as err:
        if err.kind == "duplicate":
            raise Conflict(f"Agency {agency['code']} already has an indicator with code {fields['code']}.",
                           kind="duplicate") from None
        raise


def update_indicator(ctx: IndicatorsContext, indicator_id: str, fields: dict, if_match: int | None) -> dict:
    """Change descriptive fields (name, definition, unit, baseline, weight, category, fed_by_reforms)."""
    def decide(indicator: dict, agency: dict) -> Change | None:
        _active(indicator, "cannot change")
        changes = {k: v for k, v in fields.items() if k in DESCRIPTIVE and indicator.get(k) != v}
        if not changes:
            return None
        return ctx.changed(INDICATOR, indicator, changes, INDICATOR_UPDATED, action="update", agency=agency,
                           extra={"changed": sorted(changes), "reason": fields.get("reason")},
                           reason=fields.get("reason"))
    return ctx.repo.indicators.update(indicator_id, decide, if_match=if_match, access=ctx.owner(Action.WRITE))


def retire_indicator(ctx: IndicatorsContext, indicator_id: str, reason: str, if_match: int | None) -> dict:
    def decide(indicator: dict, agency: dict) -> Change | None:
        if indicator["status"] == "retired":
            return None
        return ctx.changed(INDICATOR, indicator, {"status": "retired"}, INDICATOR_RETIRED, action="retire",
                           agency=agency, extra={"reason": reason}, reason=reason)
    return ctx.repo.indicators.update(indicator_id, decide, if_match=if_match, access=ctx.owner(Action.WRITE))


def set_target(ctx: IndicatorsContext, indicator_id: str, period_text: str, target: dict, reason: str | None) -> dict:
    """Set a period's target (a value, or a range [min, max]); setting it again is a revision that needs
    a reason. The full revision history stays with the indicator."""
    def decide(indicator: dict, agency: dict) -> Change:
        _active(indicator, "takes no targets")
        period = period_of(period_text, indicator["frequency"])
        refuse_if_locked(ctx, agency, period)
        key = str(period)
        current = indicator["targets"].get(key)
        if current is not None and not reason:
            raise Invalid.field("reason", f"the target of {key} is already set ({describe_target(current)}); a "
                                          "revision needs a reason")
        value = {"value": target.get("value"), "min": target.get("min"), "max": target.get("max")}
        revision = (current or {}).get("revision", 0) + 1
        at = ctx.clock()
        record = {**value, "revision": revision, "reason": reason, "by": ctx.principal.sub, "at": at}
        return ctx.changed(INDICATOR, indicator, {"targets": {**indicator["targets"], key: record},
                                                  "target_history": [*indicator["target_history"],
                                                                     {**record, "period": key}]},
                           TARGET_SET, action="set_target", agency=agency, reason=reason, at=at,
                           extra={"period": key, "target": value, "revision": revision, "reason": reason})
    return ctx.repo.indicators.update(indicator_id, decide, access=ctx.owner(Action.WRITE))
