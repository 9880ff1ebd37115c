"""A survey's closed post phase feeds the indicators measured by its instrument.

An indicator defined as fed by a culture instrument (`fed_by_culture`: the instrument's code and, optionally, one of
its dimensions; annual) takes as its realisation for the survey's year the post index of its agency's people (the
subtree's mean, shown only when at least `k` answered), submitted for verification like any other. Each survey counts
once however often its event is delivered (the processed-event ledger); of several surveys in a year, the one closed
last gives the value, as the reforms service's culture index does. Kept pending while the year is locked.
"""
from __future__ import annotations

from shared.contracts.indicators import PERIOD_UNLOCKED
from shared.contracts.reforms import SURVEY_CLOSED
from shared.events.envelope import Event
from shared.events.handlers import HandlerRegistry
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.commands.common import IndicatorsContext
from services.indicators.commands.realisations import REFORMS, submit_from_reforms
from services.indicators.domain.periods import Period, parse_period
from services.indicators.domain.workflow import realisation_id

CONSUMER = "indicators.culture-index"
OVERALL = "overall"


def latest(facts: list[dict]) -> dict:
    """The fact of the survey closed last (ties: by survey id, so every worker picks the same)."""
    return max(facts, key=lambda fact: (fact["closed_at"], fact["survey_id"]))


class CultureFeed:
    def __init__(self, repo: IndicatorsRepository):
        self.repo = repo

    def register(self, registry: HandlerRegistry) -> None:
        registry.on(SURVEY_CLOSED, self.on_closed)
        registry.on(PERIOD_UNLOCKED, self.on_unlocked)

    def _apply(self, indicator: dict, period: Period) -> None:
        key = realisation_id(indicator["id"], str(period))

        def derived() -> tuple[float, str]:
            fact = latest(self.repo.ledger.facts(CONSUMER, key))
            return fact["value"], (f"culture index {fact['value']:g} of survey {fact['survey_id']} "
                                   f"({fact['respondents']} respondents)")
        submit_from_reforms(IndicatorsContext(REFORMS, self.repo), indicator, period, derived)

    def on_closed(self, event: Event, data: dict) -> None:
        if data["phase"] != "post":
            return
        survey = data["survey"]
        shown = {row["agency_id"]: row for row in data["rollup"] if row["shown"]}
        if not shown:
            return
        period = Period(survey["activity_year"])
        for indicator in sorted(self.repo.fed_by_culture(survey["instrument_code"], list(shown)),
                                key=lambda i: i["id"]):
            row = shown[indicator["agency_id"]]
            value = row["means"].get(indicator["fed_by_culture"].get("dimension") or OVERALL)
            if value is None:  # a dimension this version of the instrument does not have
                continue
            self.repo.ledger.apply_once(CONSUMER, event, realisation_id(indicator["id"], str(period)),
                                        {"survey_id": survey["id"], "closed_at": survey["post"]["closed_at"],
                                         "value": value, "respondents": row["respondents"]},
                                        lambda _facts, i=indicator: self._apply(i, period))

    def on_unlocked(self, event: Event, data: dict) -> None:
        """Values kept pending while the year was locked go through now (see consumers.reform_activities)."""
        lock = data["lock"]
        period = parse_period(lock["period"])
        if period.frequency != "annual":
            return  # culture indices are annual: only a year's lock holds one
        waiting = self.repo.pending_counts(self.repo.subtree_ids(lock["agency_id"]), [str(period)])
        indicators = {i["id"]: i for i in self.repo.indicators.find({"_id": {"$in": [r["indicator_id"] for r in waiting]}})}
        for realisation in waiting:
            indicator = indicators.get(realisation["indicator_id"])
            if indicator is not None and indicator["status"] == "active" and indicator.get("fed_by_culture"):
                self._apply(indicator, period)
