"""Scorecards: the read model of every agency's score for every period, kept up to date by events.

Any event that can change a score marks (agency, period) dirty, for the period and the periods containing
it (a verified March realisation changes 202503, 2025Q1 and 2025). When the consumer has handled a run of
messages, each dirty scorecard is computed once from the current state: the agency's indicators, targets
and verified realisations, the rule pack in force, and its children's scorecards. A scorecard whose
scores changed emits `score.changed`, which marks its parent dirty in turn: roll-ups climb the tree one
event at a time, and stop where nothing changed. Computing is idempotent, so redeliveries change nothing.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from shared.contracts.agencies import (AGENCY_DEACTIVATED, AGENCY_MOVED, AGENCY_REACTIVATED, AGENCY_REGISTERED,
                                       AGENCY_UPDATED)
from shared.contracts.indicators import (INDICATOR_DEFINED, INDICATOR_RETIRED, INDICATOR_UPDATED,
                                         REALISATION_REJECTED, REALISATION_REOPENED, REALISATION_SUBMITTED,
                                         REALISATION_VERIFIED, RULEPACK_ADDED, SCORE_CHANGED, TARGET_SET,
                                         WEIGHT_SET)
from shared.errors import StaleVersion
from shared.events.consumer import HandlerRegistry
from shared.events.envelope import Event
from shared.store.aggregates import NewEvent
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.domain.achievement import Target, rule_pack_for
from services.indicators.domain.periods import FREQUENCIES, Period, parse_period
from services.indicators.domain.scoring import Score, coverage, indicator_result, rollup, weighted_mean

log = logging.getLogger(__name__)

SCORE_FIELDS = ("score", "grade", "rollup_score", "rollup_grade", "coverage")


def scorecard_id(agency_id: str, period: str) -> str:
    return f"{agency_id}:{period}"


def _target(record: dict | None) -> Target | None:
    if not record:
        return None
    return Target(value=record.get("value"), min=record.get("min"), max=record.get("max"))


class Scorer:
    def __init__(self, repo: IndicatorsRepository):
        self.repo = repo
        self.dirty: set[tuple[str, str]] = set()
        # agency -> other agencies (its parents) to recompute in every period the agency has a scorecard for;
        # resolved into `dirty` with one query per batch rather than one per event
        self.touched: dict[str, set[str]] = {}
        # (agency, period) whose score changed: its parent's scorecard of the period is dirty; parents are
        # looked up once per batch too
        self.changed: set[tuple[str, str]] = set()

    def register(self, registry: HandlerRegistry) -> None:
        for contract in (REALISATION_SUBMITTED, REALISATION_VERIFIED, REALISATION_REJECTED, REALISATION_REOPENED):
            registry.on(contract, self._on_realisation)
        registry.on(TARGET_SET, self._on_target)
        for contract in (INDICATOR_DEFINED, INDICATOR_UPDATED, INDICATOR_RETIRED):
            registry.on(contract, self._on_indicator)
        registry.on(SCORE_CHANGED, self._on_score_changed)
        registry.on(RULEPACK_ADDED, self._on_rule_pack)
        registry.on(WEIGHT_SET, self._on_weight)
        for contract in (AGENCY_MOVED, AGENCY_DEACTIVATED, AGENCY_REACTIVATED, AGENCY_UPDATED, AGENCY_REGISTERED):
            registry.on(contract, self._on_agency)
        registry.after_each_batch(self.flush)

    # -- what makes a scorecard dirty ------------------------------------------------------------

    def mark(self, agency_id: str | None, period: Period) -> None:
        if agency_id:
            self.dirty.update((agency_id, str(p)) for p in period.containing())

    def _on_realisation(self, event: Event, data: dict) -> None:
        realisation = data["realisation"]
        self.mark(realisation["agency_id"], parse_period(realisation["period"]))

    def _on_target(self, event: Event, data: dict) -> None:
        self.mark(data["indicator"]["agency_id"], parse_period(data["period"]))

    def _on_indicator(self, event: Event, data: dict) -> None:
        self.touched.setdefault(data["indicator"]["agency_id"], set())

    def _on_score_changed(self, event: Event, data: dict) -> None:
        card = data["scorecard"]
        self.changed.add((card["agency_id"], card["period"]))

    def _on_weight(self, event: Event, data: dict) -> None:
        agency = self.repo.agency(data["weight"]["id"])
        if agency and agency.get("parent_id"):
            self.touched.setdefault(agency["id"], set()).add(agency["parent_id"])

    def _on_rule_pack(self, event: Event, data: dict) -> None:
        for card in self.repo.scorecards.collection.find(
                {"period_start": {"$gte": data["rulepack"]["effective_from"]}}, {"agency_id": 1, "period": 1}):
            self.dirty.add((card["agency_id"], card["period"]))

    def _on_agency(self, event: Event, data: dict) -> None:
        """A move, (de)activation or rename changes the roll-ups above the agency (old and new parents)."""
        agency = data["agency"]
        parents = {agency.get("parent_id"), data.get("old_parent_id"), data.get("new_parent_id")} - {None}
        self.touched.setdefault(agency["id"], set()).update(parents)

    # -- computing -------------------------------------------------------------------------------

    def flush(self) -> int:
        self._resolve()
        dirty, self.dirty = sorted(self.dirty), set()
        changed = 0
        for agency_id, period in dirty:
            for _ in range(5):  # another worker may write the same scorecard: compute again from its state
                try:
                    changed += self.recompute(agency_id, parse_period(period))
                    break
                except StaleVersion:
                    continue
        return changed

    def _resolve(self) -> None:
        """Turn what the batch's events touched into dirty (agency, period) pairs, with one query each."""
        touched, self.touched = self.touched, {}
        for agency_id, periods in self.repo.scorecard_periods_of(list(touched)).items():
            for period in periods:
                self.dirty.add((agency_id, period))
                self.dirty.update((other, period) for other in touched[agency_id])
        changed, self.changed = self.changed, set()
        agencies = self.repo.agencies({agency_id for agency_id, _ in changed}) if changed else {}
        for agency_id, period in changed:
            parent = agencies.get(agency_id, {}).get("parent_id")
            if parent:
                self.dirty.add((parent, period))

    def recompute(self, agency_id: str, period: Period) -> bool:
        """Compute (agency, period) from the current state and store it; True when its scores changed."""
        agency = self.repo.agency(agency_id)
        if agency is None:
            return False
        rules = rule_pack_for(self.repo.rule_packs(), period.start)
        indicators = [i for i in self.repo.indicators_of(agency_id)
                      if FREQUENCIES.index(i["frequency"]) >= FREQUENCIES.index(period.frequency)]
        needed = {str(p) for i in indicators for p in period.inside(i["frequency"])}
        verified: dict[str, dict[str, float]] = {}
        for realisation in self.repo.realisations_of([i["id"] for i in indicators], needed):
            if realisation["status"] == "verified" and realisation.get("value") is not None:
                verified.setdefault(realisation["indicator_id"], {})[realisation["period"]] = realisation["value"]
        items, results = [], []
        for indicator in indicators:
            targets = {key: _target(record) for key, record in indicator.get("targets", {}).items()}
            result = indicator_result(indicator["polarity"], indicator["frequency"], period, targets,
                                      verified.get(indicator["id"], {}), rules)
            results.append((result, indicator["weight"]))
            light = rules.light(result.achievement) if result.achievement is not None else None
            items.append({"indicator_id": indicator["id"], "code": indicator["code"], "name": indicator["name"],
                          "category": indicator["category"], "unit": indicator["unit"],
                          "polarity": indicator["polarity"], "frequency": indicator["frequency"],
                          "weight": indicator["weight"], "target": result.target, "realised": result.realised,
                          "achievement": result.achievement, "light": light, "not_computable": result.reason,
                          "periods_verified": result.periods_verified, "periods_expected": result.periods_expected})
        own = Score.of(weighted_mean((r.achievement, w) for r, w in results if r.achievement is not None), rules)
        children = self.repo.children(agency_id)
        child_cards = self.repo.scorecards_of([c["id"] for c in children], str(period))
        weights = self.repo.weights([c["id"] for c in children])
        child_rows = []
        for child in children:
            card = child_cards.get(child["id"])
            score = (card or {}).get("rollup", {}).get("score")
            child_rows.append({"agency_id": child["id"], "code": child["code"], "name": child["name"],
                               "type": child["type"], "status": child["status"], "weight": weights.get(child["id"], 1.0),
                               "score": score, "grade": (card or {}).get("rollup", {}).get("grade"),
                               "light": (card or {}).get("rollup", {}).get("light")})
        counted = [(row["score"], row["weight"]) for row in child_rows
                   if row["status"] == "active" and row["score"] is not None]
        total = Score.of(rollup((own.score, 1.0), counted), rules)
        state = {"agency_id": agency_id, "parent_id": agency.get("parent_id"), "period": str(period),
                 "period_start": period.start.isoformat(),
                 "own": {"score": own.score, "grade": own.grade, "light": own.light,
                         "coverage": coverage([r for r, _ in results]), "indicators": len(items)},
                 "rollup": {"score": total.score, "grade": total.grade, "light": total.light,
                            "agencies_counted": len(counted) + (1 if own.score is not None else 0)},
                 "indicators": items, "children": child_rows, "rulepack_version": rules.version}
        return self._store(scorecard_id(agency_id, str(period)), state)

    def _store(self, card_id: str, state: dict) -> bool:
        current = self.repo.scorecards.get(card_id)
        summary = self._summary(card_id, state)
        if current is not None:
            unchanged = {k: current.get(k) for k in state} == state
            if unchanged:
                return False
        event = None
        if current is None or self._summary(card_id, current) != summary:
            event = NewEvent(SCORE_CHANGED, {"scorecard": summary})
        state = {**state, "computed_at": datetime.now(timezone.utc)}
        if current is None:
            self.repo.scorecards.create({"id": card_id, **state}, event)
        else:
            self.repo.scorecards.change(card_id, current["version"], state, event)
        return event is not None

    @staticmethod
    def _summary(card_id: str, state: dict) -> dict:
        return {"id": card_id, "agency_id": state["agency_id"], "period": state["period"],
                "score": state["own"]["score"], "grade": state["own"]["grade"],
                "rollup_score": state["rollup"]["score"], "rollup_grade": state["rollup"]["grade"],
                "coverage": state["own"]["coverage"], "rulepack_version": state["rulepack_version"]}
