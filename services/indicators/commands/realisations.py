"""Realisations: what an agency achieved for an indicator in a period, and their verification.

    draft ──submit──▶ submitted ──verify──▶ verified
      ▲                   │                    │
      └──── edit ◀── rejected ◀──reject────────┘ (reopen, with a reason: back to draft)

Operators record and submit inside their subtree; evaluators verify or reject inside theirs; nobody
verifies or rejects a realisation they submitted, whatever their role. A locked period (of the agency or
an ancestor) refuses every change, naming who locked it and when; reads show such a realisation as
locked. Every change keeps its history.
"""
from __future__ import annotations

from shared.audit import audit_entry
from shared.auth.policy import Action
from shared.clock import now
from shared.contracts.indicators import (REALISATION_RECORDED, REALISATION_REJECTED, REALISATION_REOPENED,
                                         REALISATION_SUBMITTED, REALISATION_VERIFIED)
from shared.errors import Conflict, Forbidden, Invalid, NotFound, StaleVersion
from shared.events.contracts import EventContract
from shared.store.aggregates import NewEvent
from services.indicators.commands.common import IndicatorsContext, period_of, refuse_if_locked
from services.indicators.commands.indicators import existing as existing_indicator

ALLOWED = {  # action -> the statuses it may start from
    "record": ("draft", "rejected"), "submit": ("draft", "rejected"), "verify": ("submitted",),
    "reject": ("submitted",), "reopen": ("verified", "rejected"),
}
DONE = {"record": "recorded", "submit": "submitted", "verify": "verified", "reject": "rejected", "reopen": "reopened"}
SNAPSHOT_FIELDS = ("id", "indicator_id", "agency_id", "period", "value", "status", "submitted_by", "verified_by")


def realisation_id(indicator_id: str, period: str) -> str:
    return f"{indicator_id}:{period}"


def snapshot_of(realisation: dict) -> dict:
    return {key: realisation.get(key) for key in SNAPSHOT_FIELDS}


def _refuse_transition(realisation: dict, action: str) -> None:
    if realisation["status"] not in ALLOWED[action]:
        allowed = [a for a, starts in ALLOWED.items() if realisation["status"] in starts]
        raise Conflict(f"A {realisation['status']} realisation cannot be {DONE[action]}"
                       f"{'; from ' + realisation['status'] + ' it can be: ' + ', '.join(allowed) if allowed else ''}.",
                       kind="invalid-transition", current_status=realisation["status"], allowed=allowed)


def _write(ctx, indicator, agency, realisation, changes, contract: EventContract, action, version, reason=None):
    at = now()
    entry = {"at": at, "by": ctx.principal.sub, "action": action, "status": changes.get("status",
                                                                                      realisation["status"]),
             "value": changes.get("value", realisation.get("value")), "reason": reason}
    changes = {**changes, "updated_at": at, "history": [*realisation.get("history", []), entry]}
    after = {**realisation, **changes}
    event = NewEvent(contract, {"realisation": snapshot_of(after), "reason": reason})
    audit = audit_entry(ctx.principal, action=f"realisation.{action}", entity_type="realisation",
                        entity_id=realisation["id"], agency_id=agency["id"],
                        agency_path=[*agency.get("path", []), agency["id"]],
                        before=snapshot_of(realisation) if version else None, after=snapshot_of(after), reason=reason)
    if version == 0:
        return ctx.repo.realisations.create({**after, "created_at": at}, event, audit)
    return ctx.repo.realisations.change(realisation["id"], version, changes, event, audit)


def _load(ctx: IndicatorsContext, indicator_id: str, period_text: str, action: Action):
    indicator, agency = existing_indicator(ctx, indicator_id, action)
    period = period_of(period_text, indicator["frequency"])
    realisation = ctx.repo.realisations.get(realisation_id(indicator_id, str(period)))
    return indicator, agency, period, realisation


def _expected(realisation: dict, if_match: int | None) -> int:
    if if_match is not None and if_match != realisation["version"]:
        raise StaleVersion(f"The realisation is at version {realisation['version']}, not {if_match}; fetch it again.",
                           current_version=realisation["version"])
    return realisation["version"]


def record_realisation(ctx: IndicatorsContext, indicator_id: str, period_text: str, fields: dict,
                       if_match: int | None = None) -> dict:
    """Create or change the draft of a period (a rejected one becomes a draft again)."""
    indicator, agency, period, realisation = _load(ctx, indicator_id, period_text, Action.WRITE)
    if indicator["status"] != "active":
        raise Conflict("A retired indicator takes no realisations.", kind="retired")
    refuse_if_locked(ctx, agency, period)
    values = {"value": fields["value"], "evidence": fields.get("evidence") or [], "note": fields.get("note")}
    if realisation is None:
        fresh = {"id": realisation_id(indicator_id, str(period)), "indicator_id": indicator_id,
                 "agency_id": indicator["agency_id"], "period": str(period), "status": "draft", "source": "manual",
                 "submitted_by": None, "verified_by": None, "history": []}
        return _write(ctx, indicator, agency, fresh, {**values, "status": "draft"}, REALISATION_RECORDED, "record", 0)
    _refuse_transition(realisation, "record")
    version = _expected(realisation, if_match)
    return _write(ctx, indicator, agency, realisation, {**values, "status": "draft"}, REALISATION_RECORDED, "record",
                  version)


def submit_realisation(ctx: IndicatorsContext, indicator_id: str, period_text: str,
                       if_match: int | None = None) -> dict:
    indicator, agency, period, realisation = _load(ctx, indicator_id, period_text, Action.WRITE)
    if realisation is None:
        raise NotFound(f"No realisation of {period} to submit; record one first.")
    refuse_if_locked(ctx, agency, period)
    _refuse_transition(realisation, "submit")
    if realisation.get("value") is None:
        raise Invalid.field("value", "a realisation needs a value before it is submitted")
    return _write(ctx, indicator, agency, realisation,
                  {"status": "submitted", "submitted_by": ctx.principal.sub, "submitted_at": now(),
                   "verified_by": None, "reason": None},
                  REALISATION_SUBMITTED, "submit", _expected(realisation, if_match))


def _judge(ctx, indicator_id, period_text, action, if_match, reason=None):
    indicator, agency, period, realisation = _load(ctx, indicator_id, period_text, Action.VERIFY)
    if realisation is None:
        raise NotFound(f"No realisation of {period}.")
    refuse_if_locked(ctx, agency, period)
    if realisation.get("submitted_by") == ctx.principal.sub and action in ("verify", "reject"):
        raise Forbidden(f"Forbidden: nobody may {action} a realisation they submitted ({ctx.principal.sub} submitted "
                        "this one); another evaluator must.", Action.VERIFY.value, agency["id"])
    _refuse_transition(realisation, action)
    return indicator, agency, realisation, _expected(realisation, if_match)


def verify_realisation(ctx: IndicatorsContext, indicator_id: str, period_text: str, if_match: int | None = None) -> dict:
    indicator, agency, realisation, version = _judge(ctx, indicator_id, period_text, "verify", if_match)
    return _write(ctx, indicator, agency, realisation,
                  {"status": "verified", "verified_by": ctx.principal.sub, "verified_at": now(), "reason": None},
                  REALISATION_VERIFIED, "verify", version)


def reject_realisation(ctx: IndicatorsContext, indicator_id: str, period_text: str, reason: str,
                       if_match: int | None = None) -> dict:
    indicator, agency, realisation, version = _judge(ctx, indicator_id, period_text, "reject", if_match, reason)
    return _write(ctx, indicator, agency, realisation, {"status": "rejected", "verified_by": ctx.principal.sub,
                                                        "verified_at": now(), "reason": reason},
                  REALISATION_REJECTED, "reject", version, reason)


def reopen_realisation(ctx: IndicatorsContext, indicator_id: str, period_text: str, reason: str,
                       if_match: int | None = None) -> dict:
    indicator, agency, realisation, version = _judge(ctx, indicator_id, period_text, "reopen", if_match, reason)
    return _write(ctx, indicator, agency, realisation, {"status": "draft", "verified_by": None, "verified_at": None,
                                                        "reason": reason},
                  REALISATION_REOPENED, "reopen", version, reason)
