"""Realisations: what an agency achieved for an indicator in a period, and their verification (the
workflow: domain.workflow).

Operators record and submit inside their subtree; evaluators verify or reject inside theirs; nobody
verifies or rejects a realisation they submitted, whatever their role. A locked period (of the agency or
an ancestor) refuses every change, naming who locked it and when; reads show such a realisation as
locked. Every change keeps its history and leaves an audit record, including the counts of completed
reform activities the system submits for indicators fed by reforms.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from shared.auth.policy import Action
from shared.auth.tokens import Principal
from shared.commands import Change
from shared.contracts.indicators import (REALISATION_RECORDED, REALISATION_REJECTED, REALISATION_REOPENED,
                                         REALISATION_SUBMITTED, REALISATION_VERIFIED)
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.events.contracts import EventContract
from services.indicators.commands.common import IndicatorsContext, lock_covering, period_of, refuse_if_locked
from services.indicators.commands.indicators import existing as existing_indicator
from services.indicators.domain.periods import Period
from services.indicators.domain.workflow import REALISATION, next_status, realisation_id

# Who submits the counts of completed reform activities.
REFORMS = Principal(sub="system:reforms", role="admin", agency_id="*")
PENDING = "pending_count"
COUNTED = "reform_count"  # the value the reforms service's facts gave last (a count, a culture index)


def _write(ctx: IndicatorsContext, agency: dict, realisation: dict | None, fields: dict, contract: EventContract | None,
           action: str, *, fresh: dict | None = None, reason: str | None = None, unset: tuple[str, ...] = (),
           at: datetime | None = None) -> Change:
    """The Change of one workflow step, with its history entry (what it did, the status and value after)."""
    before = realisation or fresh
    history = {"action": action, "status": fields.get("status", before["status"]),
               "value": fields.get("value", before.get("value")), "reason": reason}
    extra = {"reason": reason}
    if realisation is None:
        return ctx.created(REALISATION, {**fresh, **fields}, contract, action=action, agency=agency, extra=extra,
                           reason=reason, history=history, at=at)
    return ctx.changed(REALISATION, realisation, fields, contract, action=action, agency=agency, extra=extra,
                       reason=reason, history=history, unset=unset, at=at)


def _fresh(indicator: dict, period: Period) -> dict:
    return {"id": realisation_id(indicator["id"], str(period)), "indicator_id": indicator["id"],
            "agency_id": indicator["agency_id"], "period": str(period), "value": None, "evidence": [], "note": None,
            "status": "draft", "source": "manual", "submitted_by": None, "verified_by": None, "reason": None,
            "history": []}


def _step(ctx: IndicatorsContext, indicator_id: str, period_text: str, action: str, role_action: Action,
          if_match: int | None, make: Callable[[dict | None, dict, datetime], tuple[dict, EventContract, str | None]],
          *, create: bool = False) -> dict:
    """One step of the workflow on the realisation of a period: the indicator's agency authorizes the
    caller (before If-Match is compared), then `make(realisation, indicator, agency, period)` gives the
    fields of the step (stamped `at`, the step's one clock reading), decided on the realisation as it is, in
    an open period."""
    indicator, agency = existing_indicator(ctx, indicator_id, role_action)
    period = period_of(period_text, indicator["frequency"])

    def decide(realisation: dict | None, _) -> Change:
        if realisation is None and not create:
            raise NotFound(f"No realisation of {period}{' to submit; record one first' if action == 'submit' else ''}.")
        refuse_if_locked(ctx, agency, period)
        status = next_status(realisation["status"] if realisation else "draft", action)
        if action in ("verify", "reject") and realisation.get("submitted_by") == ctx.principal.sub:
            raise Forbidden(f"Forbidden: nobody may {action} a realisation they submitted ({ctx.principal.sub} "
                            "submitted this one); another evaluator must.", Action.VERIFY.value, agency["id"],
                            kind="own-submission")
        at = ctx.clock()
        fields, contract, reason = make(realisation, indicator, at)
        return _write(ctx, agency, realisation, {**fields, "status": status}, contract, action,
                      fresh=_fresh(indicator, period), reason=reason, at=at)
    # Missing is decide's to answer: with the message of the step (only `record` creates).
    return ctx.repo.realisations.update(realisation_id(indicator_id, str(period)), decide, if_match=if_match,
                                        create=True)


def record_realisation(ctx: IndicatorsContext, indicator_id: str, period_text: str, fields: dict,
                       if_match: int | None = None) -> dict:
    """Create or change the draft of a period (a rejected one becomes a draft again)."""
    def make(_realisation, indicator, _at):
        if indicator["status"] != "active":
            raise Conflict("A retired indicator takes no realisations.", kind="retired")
        return ({"value": fields["value"], "evidence": fields.get("evidence") or [], "note": fields.get("note")},
                REALISATION_RECORDED, None)
    return _step(ctx, indicator_id, period_text, "record", Action.WRITE, if_match, make, create=True)


def submit_realisation(ctx: IndicatorsContext, indicator_id: str, period_text: str,
                       if_match: int | None = None) -> dict:
    def make(realisation, _indicator, at):
        if realisation.get("value") is None:
            raise Invalid.field("value", "a realisation needs a value before it is submitted")
        return ({"submitted_by": ctx.principal.sub, "submitted_at": at, "verified_by": None, "reason": None},
                REALISATION_SUBMITTED, None)
    return _step(ctx, indicator_id, period_text, "submit", Action.WRITE, if_match, make)


def verify_realisation(ctx: IndicatorsContext, indicator_id: str, period_text: str, if_match: int | None = None) -> dict:
    return _step(ctx, indicator_id, period_text, "verify", Action.VERIFY, if_match, lambda _r, _i, at: (
        {"verified_by": ctx.principal.sub, "verified_at": at, "reason": None}, REALISATION_VERIFIED, None))


def reject_realisation(ctx: IndicatorsContext, indicator_id: str, period_text: str, reason: str,
                       if_match: int | None = None) -> dict:
    return _step(ctx, indicator_id, period_text, "reject", Action.VERIFY, if_match, lambda _r, _i, at: (
        {"verified_by": ctx.principal.sub, "verified_at": at, "reason": reason}, REALISATION_REJECTED, reason))


def reopen_realisation(ctx: IndicatorsContext, indicator_id: str, period_text: str, reason: str,
                       if_match: int | None = None) -> dict:
    return _step(ctx, indicator_id, period_text, "reopen", Action.VERIFY, if_match, lambda _r, _i, _at: (
        {"verified_by": None, "verified_at": None, "reason": reason}, REALISATION_REOPENED, reason))


def _counted(realisation: dict) -> float | None:
    """The value the reforms service's facts gave last; for a realisation counted before `reform_count` was kept,
    its value while it still stands as the system submitted it (what redeliveries were compared with then)."""
    if COUNTED in realisation:
        return realisation[COUNTED]
    if realisation.get("source") == "reforms" and realisation["status"] in ("submitted", "verified"):
        return realisation.get("value")
    return None


def count_reform_activities(ctx: IndicatorsContext, indicator: dict, period: Period,
                            completed: Callable[[], int]) -> dict | None:
    """The realisation of an indicator fed by reform activities says `completed()` activities were completed."""
    def derived() -> tuple[int, str]:
        count = completed()
        return count, f"{count} completed reform activit{'y' if count == 1 else 'ies'}"
    return submit_from_reforms(ctx, indicator, period, derived)


def submit_from_reforms(ctx: IndicatorsContext, indicator: dict, period: Period,
                        derived: Callable[[], tuple[float, str]]) -> dict | None:
    """The realisation of an indicator fed by the reforms service (a count of completed activities, a culture index)
    takes the value `derived()` gives, with its reason: submitted by the system (ctx's principal) as a new version
    awaiting verification, from whatever state the realisation is in (a verified one whose value changes needs
    verifying again), with its history entry and audit record. The value applied last is kept (`reform_count`): the
    same value again (a redelivery) changes nothing, not even a realisation an evaluator has since rejected or
    reopened.

    While the period is locked the value is kept as pending on the realisation (visible to readers) and applied when
    the period is unlocked (consumers.reform_activities). None if the agency is unknown here.

    `derived` is asked on every decision, after the realisation is read: a value taken before another worker wrote a
    newer one (from a fact recorded meanwhile) would otherwise undo it."""
    agency = ctx.repo.agency(indicator["agency_id"])
    if agency is None:
        return None
    fresh = {**_fresh(indicator, period), "source": "reforms"}

    def decide(realisation: dict | None, _) -> Change | None:
        current = realisation or fresh
        count, reason = derived()
        held = PENDING in current
        if _counted(current) == count:  # nothing new: at most a pending value to forget
            return ctx.changed(REALISATION, realisation, {}, None, action="count", agency=agency, reason=reason,
                               unset=(PENDING,)) if held else None
        lock = lock_covering(ctx, agency, period)
        at = ctx.clock()
        if lock is not None:
            if (current.get(PENDING) or {}).get("value") == count:
                return None
            pending = {"value": count, "reason": reason, "at": at, "lock_id": lock["id"]}
            return _write(ctx, agency, realisation, {PENDING: pending}, None, "count_pending", fresh=fresh, at=at,
                          reason=f"{reason}; period {lock['period']} is locked: kept until it is unlocked")
        fields = {"value": count, COUNTED: count, "status": next_status(current["status"], "count"),
                  "source": "reforms", "submitted_by": ctx.principal.sub, "submitted_at": at,
                  "verified_by": None, "verified_at": None, "reason": None}
        contract = REALISATION_RECORDED if current["status"] == "submitted" else REALISATION_SUBMITTED
        return _write(ctx, agency, realisation, fields, contract, "count", fresh=fresh, reason=reason, at=at,
                      unset=(PENDING,) if realisation is not None and held else ())

    counted = ctx.repo.realisations.update(fresh["id"], decide, create=True)
    if PENDING in counted and lock_covering(ctx, agency, period) is None:
        # The period was unlocked between the lock check and the write (and its unlock event may have been
        # handled already, finding nothing pending): count now.
        counted = ctx.repo.realisations.update(fresh["id"], decide, create=True)
    return counted
