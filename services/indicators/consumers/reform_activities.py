"""Completed reform activities count toward the indicators they are linked to.

An indicator defined as fed by reform activities (`fed_by_reforms`: the RB areas that count, or [] for
any) takes as its realisation for a period the number of completed activities linked to it that ended in
that period. Each activity counts once, however often its event is delivered: the fact is recorded in the
processed-event ledger, and the realisation derived from the ledger's facts (shared.store.ledger). The
derived realisation awaits verification like any other (a new count reopens a verified one).
"""
from __future__ import annotations

import logging
from datetime import date

from shared.clock import now
from shared.contracts.indicators import REALISATION_RECORDED, REALISATION_SUBMITTED
from shared.contracts.reforms import ACTIVITY_COMPLETED
from shared.errors import Conflict
from shared.events.consumer import HandlerRegistry
from shared.events.envelope import Event
from shared.store.aggregates import NewEvent
from shared.store.ledger import apply_once
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.commands.common import SYSTEM, IndicatorsContext, refuse_if_locked
from services.indicators.commands.realisations import realisation_id, snapshot_of
from services.indicators.domain.periods import Period

log = logging.getLogger(__name__)

CONSUMER = "indicators.reform-activities"
REFORMS = "system:reforms"


def period_of_day(day: date, frequency: str) -> Period:
    quarter = (day.month - 1) // 3 + 1
    return {"annual": Period(day.year), "quarterly": Period(day.year, quarter),
            "monthly": Period(day.year, quarter, day.month)}[frequency]


def activities_in(facts: list[dict]) -> int:
    """Distinct activities: each counts once, even if two of its events were recorded."""
    return len({fact["activity_id"] for fact in facts})


class ReformCounter:
    def __init__(self, repo: IndicatorsRepository):
        self.repo = repo

    def register(self, registry: HandlerRegistry) -> None:
        registry.on(ACTIVITY_COMPLETED, self.on_completed)

    def on_completed(self, event: Event, data: dict) -> None:
        activity = data["activity"]
        ended = date.fromisoformat(activity["end"][:10])
        for indicator_id in activity["linked_indicator_ids"]:
            indicator = self.repo.indicators.get(indicator_id)
            areas = (indicator or {}).get("fed_by_reforms")
            if indicator is None or areas is None or indicator["status"] != "active":
                continue
            if areas and activity["area"] not in areas:
                continue
            period = period_of_day(ended, indicator["frequency"])
            key = realisation_id(indicator_id, str(period))
            apply_once(CONSUMER, event, key, {"activity_id": activity["id"], "area": activity["area"]},
                       lambda facts, i=indicator, p=period: self._derive(i, p, activities_in(facts)))

    def _derive(self, indicator: dict, period: Period, count: int) -> None:
        """The realisation of the period says `count` activities, awaiting verification."""
        agency = self.repo.agency(indicator["agency_id"])
        if agency is None:
            return
        ctx = IndicatorsContext(SYSTEM, self.repo)
        try:
            refuse_if_locked(ctx, agency, period)
        except Conflict as locked:
            log.warning("a completed activity falls in a locked period; not counted there",
                        extra={"indicator_id": indicator["id"], "period": str(period), "detail": locked.detail})
            return
        key = realisation_id(indicator["id"], str(period))
        current = self.repo.realisations.get(key)
        if current is not None and current.get("value") == count and current["status"] in ("submitted", "verified"):
            return  # already derived (a redelivery)
        at = now()
        entry = {"at": at, "by": REFORMS, "action": "count", "status": "submitted", "value": count,
                 "reason": f"{count} completed reform activit{'y' if count == 1 else 'ies'}"}
        changes = {"value": count, "status": "submitted", "source": "reforms", "submitted_by": REFORMS,
                   "submitted_at": at, "verified_by": None, "updated_at": at}
        if current is None:
            state = {"id": key, "indicator_id": indicator["id"], "agency_id": indicator["agency_id"],
                     "period": str(period), "evidence": [], "note": None, "reason": None, "created_at": at,
                     "history": [entry], **changes}
            self.repo.realisations.create(state, NewEvent(REALISATION_SUBMITTED, {"realisation": snapshot_of(state),
                                                                                   "reason": entry["reason"]}))
            return
        after = {**current, **changes}
        self.repo.realisations.change(key, current["version"], {**changes, "history": [*current["history"], entry]},
                                      NewEvent(REALISATION_SUBMITTED if current["status"] != "submitted"
                                               else REALISATION_RECORDED,
                                               {"realisation": snapshot_of(after), "reason": entry["reason"]}))
