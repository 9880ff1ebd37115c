"""Defining, changing and retiring indicators, and setting their targets (with revision history)."""
from __future__ import annotations

import uuid

from shared.auth.directory import ref_of
from shared.auth.policy import Action, authorize
from shared.commands import Change
from shared.contracts.indicators import INDICATOR_DEFINED, INDICATOR_RETIRED, INDICATOR_UPDATED, TARGET_SET
from shared.errors import Conflict, Invalid, NotFound
from services.indicators.commands.common import IndicatorsContext, period_of, refuse_if_locked
from services.indicators.domain.aggregation import AVERAGE
from services.indicators.domain.indicator import DESCRIPTIVE, INDICATOR, describe_target, feed_problems
from services.indicators.domain.periods import FREQUENCIES, Period

DEFINED_FIELDS = ("agency_id", "code", "name", "definition", "unit", "polarity", "frequency", "baseline", "weight",
                  "category", "parent_indicator_id", "fed_by_reforms", "fed_by_culture", "aggregation")


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
    if problems := feed_problems(fields):
        raise Invalid(problems)
    state = {"id": str(uuid.uuid4()), **{k: fields.get(k) for k in DEFINED_FIELDS},
             "aggregation": fields.get("aggregation") or AVERAGE, "status": "active",
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
    """Change descriptive fields (name, definition, unit, baseline, weight, category, what feeds it)."""
    def decide(indicator: dict, agency: dict) -> Change | None:
        _active(indicator, "cannot change")
        changes = {k: v for k, v in fields.items() if k in DESCRIPTIVE and indicator.get(k) != v}
        if not changes:
            return None
        if problems := feed_problems({**indicator, **changes}):
            raise Invalid(problems)
        if "aggregation" in changes:
            agreement = ctx.repo.agreement_holding(indicator["id"])
            if agreement is not None:  # its agreed targets were set for the way it aggregates
                raise Conflict(f"{indicator['code']} is in the signed performance agreement {agreement['id']}; its "
                               "aggregation changes with a new indicator, not under a signed agreement.",
                               kind="agreement-signed", agreement_id=agreement["id"],
                               agreement_version=agreement["version_in_force"])
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


def target_period(text: str, frequency: str) -> Period:
    """A period a target may be set for: at the indicator's frequency or longer (an annual target for a
    quarterly indicator)."""
    period = period_of(text)
    if FREQUENCIES.index(period.frequency) > FREQUENCIES.index(frequency):
        raise Invalid.field("period", f"{text} is shorter than the indicator's reporting period ({frequency})")
    return period


def refuse_if_agreed(ctx: IndicatorsContext, indicator: dict, period: Period) -> None:
    """A signed performance agreement freezes the targets it sets (its year's and quarters')."""
    agreement = ctx.repo.agreement_freezing(indicator["id"], str(period))
    if agreement is not None:
        raise Conflict(f"The target of {indicator['code']} for {period} is that of the signed performance agreement "
                       f"{agreement['id']} (version {agreement['version_in_force']}); revise the agreement to change "
                       "it.", kind="agreement-signed", agreement_id=agreement["id"],
                       agreement_version=agreement["version_in_force"])


def set_target(ctx: IndicatorsContext, indicator_id: str, period_text: str, target: dict, reason: str | None) -> dict:
    """Set a period's target (a value, or a range [min, max]); setting it again is a revision that needs
    a reason. The full revision history stays with the indicator."""
    def decide(indicator: dict, agency: dict) -> Change:
        _active(indicator, "takes no targets")
        period = target_period(period_text, indicator["frequency"])
        refuse_if_agreed(ctx, indicator, period)
        refuse_if_locked(ctx, agency, period)
        key = str(period)
        current = indicator["targets"].get(key)
        if current is not None and not reason:
            raise Invalid.field("reason", f"the target of {key} is already set ({describe_target(current)}); a "
                                          "revision needs a reason")
        return target_change(ctx, indicator, agency, {key: target}, reason)
    return ctx.repo.indicators.update(indicator_id, decide, access=ctx.owner(Action.WRITE))


def target_change(ctx: IndicatorsContext, indicator: dict, agency: dict, targets: dict[str, dict], reason: str | None,
                  agreement: dict | None = None, removed: tuple[str, ...] = ()) -> Change:
    """The Change setting `targets` (by period) of the indicator, each a new revision in its history, and
    taking away the targets of `removed` periods (a revised agreement that no longer sets them); the event
    tells the first period's (one period a change, except an agreement's: its year and quarters)."""
    at = ctx.clock()
    current, history, told = dict(indicator["targets"]), list(indicator["target_history"]), None
    for key, target in [*targets.items(), *((period, None) for period in removed)]:
        value = {"value": (target or {}).get("value"), "min": (target or {}).get("min"), "max": (target or {}).get("max")}
        revision = (current.get(key) or {}).get("revision", 0) + 1
        record = {**value, "revision": revision, "reason": reason, "by": ctx.principal.sub, "at": at,
                  **({"agreement": agreement} if agreement else {})}
        if target is None:
            current.pop(key, None)
            record["removed"] = True
        else:
            current[key] = record
        history.append({**record, "period": key})
        told = told or {"period": key, "target": value, "revision": revision, "reason": reason,
                        "periods": sorted([*targets, *removed])}
    return ctx.changed(INDICATOR, indicator, {"targets": current, "target_history": history}, TARGET_SET,
                       action="set_target", agency=agency, reason=reason, at=at, extra=told)
