"""Defining, changing and retiring indicators, and setting their targets (with revision history)."""
from __future__ import annotations

import uuid

from shared.audit import audit_entry
from shared.auth.directory import ref_of
from shared.auth.policy import Action, authorize
from shared.clock import now
from shared.contracts.indicators import INDICATOR_DEFINED, INDICATOR_RETIRED, INDICATOR_UPDATED, TARGET_SET
from shared.errors import Conflict, Invalid, NotFound, StaleVersion
from shared.events.contracts import EventContract
from shared.store.aggregates import NewEvent
from services.indicators.commands.common import (IndicatorsContext, active_agency, authorized_agency, period_of,
                                                 refuse_if_locked)

SNAPSHOT_FIELDS = ("id", "agency_id", "code", "name", "unit", "polarity", "frequency", "category", "weight", "status",
                   "parent_indicator_id", "fed_by_reforms")
DESCRIPTIVE = ("name", "definition", "unit", "baseline", "weight", "category", "fed_by_reforms")


def snapshot_of(indicator: dict) -> dict:
    return {key: indicator.get(key) for key in SNAPSHOT_FIELDS}


def _audit(ctx: IndicatorsContext, action: str, indicator: dict, agency: dict, before, after, reason=None) -> dict:
    return audit_entry(ctx.principal, action=action, entity_type="indicator", entity_id=indicator["id"],
                       agency_id=indicator["agency_id"], agency_path=[*agency.get("path", []), agency["id"]],
                       before=before, after=after, reason=reason)


def existing(ctx: IndicatorsContext, indicator_id: str, action: Action) -> tuple[dict, dict]:
    indicator = ctx.repo.indicators.get(indicator_id)
    if indicator is None:
        raise NotFound(f"No indicator {indicator_id}.")
    agency = authorized_agency(ctx, indicator["agency_id"], action)
    return indicator, agency


def expected_version(indicator: dict, if_match: int | None) -> int:
    if if_match is not None and if_match != indicator["version"]:
        raise StaleVersion(f"The indicator is at version {indicator['version']}, not {if_match}; fetch it again.",
                           current_version=indicator["version"])
    return indicator["version"]


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


def define_indicator(ctx: IndicatorsContext, fields: dict) -> dict:
    """A new indicator of an active agency the caller may write to; its code is unique in the agency."""
    agency = active_agency(ctx, fields["agency_id"])
    authorize(ctx.principal, Action.WRITE, ref_of(agency))
    _check_parent(ctx, agency, fields.get("parent_indicator_id"))
    created = now()
    state = {"id": str(uuid.uuid4()), **{k: fields.get(k) for k in (
        "agency_id", "code", "name", "definition", "unit", "polarity", "frequency", "baseline", "weight", "category",
        "parent_indicator_id", "fed_by_reforms")}, "status": "active", "targets": {}, "target_history": [],
        "created_at": created, "updated_at": created}
    audit = _audit(ctx, "define", state, agency, None, snapshot_of(state))
    try:
        return ctx.repo.indicators.create(state, NewEvent(INDICATOR_DEFINED, {"indicator": snapshot_of(state)}), audit)
    except Conflict as err:
        if err.kind == "duplicate":
            raise Conflict(f"Agency {agency['code']} already has an indicator with code {fields['code']}.",
                           kind="duplicate") from None
        raise


def _write(ctx, indicator, agency, changes, contract: EventContract, action, version, extra=None, reason=None):
    changes = {**changes, "updated_at": now()}
    after = {**indicator, **changes}
    event = NewEvent(contract, {"indicator": snapshot_of(after), **(extra or {})})
    audit = _audit(ctx, action, indicator, agency, snapshot_of(indicator), snapshot_of(after), reason)
    return ctx.repo.indicators.change(indicator["id"], version, changes, event, audit)


def update_indicator(ctx: IndicatorsContext, indicator_id: str, fields: dict, if_match: int | None) -> dict:
    """Change descriptive fields (name, definition, unit, baseline, weight, category, fed_by_reforms)."""
    indicator, agency = existing(ctx, indicator_id, Action.WRITE)
    version = expected_version(indicator, if_match)
    if indicator["status"] != "active":
        raise Conflict("A retired indicator cannot change.", kind="retired")
    changes = {k: v for k, v in fields.items() if k in DESCRIPTIVE and indicator.get(k) != v}
    if not changes:
        return indicator
    return _write(ctx, indicator, agency, changes, INDICATOR_UPDATED, "update", version,
                  extra={"changed": sorted(changes), "reason": fields.get("reason")}, reason=fields.get("reason"))


def retire_indicator(ctx: IndicatorsContext, indicator_id: str, reason: str, if_match: int | None) -> dict:
    indicator, agency = existing(ctx, indicator_id, Action.WRITE)
    version = expected_version(indicator, if_match)
    if indicator["status"] == "retired":
        return indicator
    return _write(ctx, indicator, agency, {"status": "retired"}, INDICATOR_RETIRED, "retire", version,
                  extra={"reason": reason}, reason=reason)


def set_target(ctx: IndicatorsContext, indicator_id: str, period_text: str, target: dict, reason: str | None) -> dict:
    """Set a period's target (a value, or a range [min, max]); setting it again is a revision that needs
    a reason. The full revision history stays with the indicator."""
    indicator, agency = existing(ctx, indicator_id, Action.WRITE)
    if indicator["status"] != "active":
        raise Conflict("A retired indicator takes no targets.", kind="retired")
    period = period_of(period_text, indicator["frequency"])
    refuse_if_locked(ctx, agency, period)
    key = str(period)
    current = indicator["targets"].get(key)
    if current is not None and not reason:
        raise Invalid.field("reason", f"the target of {key} is already set ({_describe(current)}); a revision needs "
                                      "a reason")
    value = {"value": target.get("value"), "min": target.get("min"), "max": target.get("max")}
    revision = (current or {}).get("revision", 0) + 1
    record = {**value, "revision": revision, "reason": reason, "by": ctx.principal.sub, "at": now()}
    changes = {f"targets.{key}": record, "target_history": [*indicator["target_history"], {**record, "period": key}]}
    after = {**indicator, "targets": {**indicator["targets"], key: record}}
    event = NewEvent(TARGET_SET, {"indicator": snapshot_of(after), "period": key, "target": value,
                                  "revision": revision, "reason": reason})
    audit = _audit(ctx, "set_target", indicator, agency, {"period": key, **(current or {})} if current else None,
                   {"period": key, **value}, reason)
    return ctx.repo.indicators.change(indicator["id"], indicator["version"], {**changes, "updated_at": now()}, event,
                                      audit)


def _describe(target: dict) -> str:
    return f"{target['min']:g}–{target['max']:g}" if target.get("min") is not None else f"{target['value']:g}"
