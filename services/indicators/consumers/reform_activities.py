"""Completed reform activities count toward the indicators they are linked to.

An indicator defined as fed by reform activities (`fed_by_reforms`: the RB areas that count, or [] for
any) takes as its realisation for a period the number of completed activities linked to it that ended in
that period (the activity is kept, too, for the annual report's list). Each activity counts once, however
often its event is delivered: the fact is recorded in the processed-event ledger, and the count derived from the ledger's facts (shared.store.ledger). The count
goes through the workflow as a command of the system (commands.realisations.count_reform_activities):
submitted, awaiting verification like any other, audited; kept as pending while its period is locked,
and applied when the period is unlocked.
"""
from __future__ import annotations

from datetime import date

from shared.contracts.indicators import PERIOD_UNLOCKED
from shared.contracts.reforms import ACTIVITY_COMPLETED
from shared.events.envelope import Event
from shared.events.handlers import HandlerRegistry
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.commands.common import IndicatorsContext
from services.indicators.commands.realisations import REFORMS, count_reform_activities
from services.indicators.domain.periods import Period, parse_period
from services.indicators.domain.workflow import realisation_id

CONSUMER = "indicators.reform-activities"


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
        registry.on(PERIOD_UNLOCKED, self.on_unlocked)

    def _count(self, indicator: dict, period: Period) -> None:
        key = realisation_id(indicator["id"], str(period))
        count_reform_activities(IndicatorsContext(REFORMS, self.repo), indicator, period,
                                lambda: activities_in(self.repo.ledger.facts(CONSUMER, key)))

    def on_completed(self, event: Event, data: dict) -> None:
        activity = data["activity"]
        # What the annual report lists of it (services.indicators.reports.facts).
        self.repo.record_reform_activity(activity, data.get("summary"), data.get("outcomes") or [])
        ended = date.fromisoformat(activity["end"][:10])
        linked = self.repo.indicators.find({"_id": {"$in": list(activity["linked_indicator_ids"])}})
        for indicator in sorted(linked, key=lambda i: i["id"]):
            areas = indicator.get("fed_by_reforms")
            if areas is None or indicator["status"] != "active" or (areas and activity["area"] not in areas):
                continue
            period = period_of_day(ended, indicator["frequency"])
            self.repo.ledger.apply_once(CONSUMER, event, realisation_id(indicator["id"], str(period)),
                                        {"activity_id": activity["id"], "area": activity["area"]},
                                        lambda _facts, i=indicator, p=period: self._count(i, p))

    def on_unlocked(self, event: Event, data: dict) -> None:
        """Counts kept pending while the period was locked (for the lock's agency and its subtree, in its
        period and the periods inside it) go through now; one still under another lock stays pending."""
        lock = data["lock"]
        period = parse_period(lock["period"])
        periods = {str(p) for frequency in ("annual", "quarterly", "monthly") for p in period.inside(frequency)}
        waiting = self.repo.pending_counts(self.repo.subtree_ids(lock["agency_id"]), periods)
        indicators = {i["id"]: i for i in self.repo.indicators.find({"_id": {"$in": [r["indicator_id"] for r in waiting]}})}
        for realisation in waiting:
            indicator = indicators.get(realisation["indicator_id"])
            if indicator is not None and indicator["status"] == "active" and indicator.get("fed_by_reforms") is not None:
                self._count(indicator, parse_period(realisation["period"]))
