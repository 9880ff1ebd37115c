"""Scorecards: the read model of every agency's score for every period, kept up to date by events.

Any event that can change a score marks scorecards dirty: a verified March realisation marks its agency's
202503, 2025Q1 and 2025; an indicator or agency change marks every period the agency has a card for; a
child's changed score marks its parent's card, for its roll-up only. When the consumer has handled a run
of messages, `flush` loads what the dirty cards are made of in batches (rule packs once; indicators,
verified realisations, children, their cards and weights of every dirty agency of a level in a few
queries), computes them with the pure rules of domain.scorecard, and stores those that changed.

It works deepest agencies first, and when a card's scores change it computes the parent's card in the
same flush (the roll-up climbs the tree without a Kafka round trip per level); the `score.changed` event
every such card emits still tells other consumers, and when it comes back here it changes nothing: the
parent's row already reflects that version of the child's card. A card another worker wrote meanwhile
is computed again from fresh inputs; `flush` returns only when every dirty card is stored, and raises
(so that the batch's offsets are not committed and its messages come again) rather than drop one.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from shared.commands import CommandContext
from shared.contracts.agencies import (AGENCY_DEACTIVATED, AGENCY_MOVED, AGENCY_PATH_CHANGED, AGENCY_REACTIVATED,
                                       AGENCY_REGISTERED, AGENCY_UPDATED)
from shared.contracts.indicators import (AGREEMENT_REVISED, AGREEMENT_SIGNED, INDICATOR_DEFINED,
                                         INDICATOR_RETIRED, INDICATOR_UPDATED, PLAN_ARCHIVED, PLAN_CREATED,
                                         PLAN_UPDATED, REALISATION_REJECTED, REALISATION_REOPENED,
                                         REALISATION_SUBMITTED, REALISATION_VERIFIED, RULEPACK_ADDED,
                                         RULEPACK_EFFECTIVE, SCORE_CHANGED, TARGET_SET, WEIGHT_SET)
from shared.errors import Conflict
from shared.events.envelope import Event
from shared.events.handlers import HandlerRegistry
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.commands.common import SYSTEM
from services.indicators.domain.achievement import RulePack, rule_pack_for
from services.indicators.domain.periods import Period, parse_period
from services.indicators.domain.plans import plan_entries
from services.indicators.domain.scorecard import (SCORECARD, Comparisons, differs, own_part, scorecard_id, summary,
                                                  with_rollup)

log = logging.getLogger(__name__)

# How often one card is computed again in a flush because another worker wrote it first.
MAX_CONFLICTS = 10

Card = tuple[str, str]  # (agency id, period)


@dataclass
class _Marks:
    """What the batch's events made dirty. `full`: cards to compute from their inputs; `rollup`: cards whose
    children changed (their own part is kept); `touched`: agency -> whether its own cards are dirty in full,
    and the agencies (parents) whose cards' roll-ups are dirty, in every period the agency has a card for;
    `changed`: cards whose scores changed, with the version their event names."""

    full: set[Card]
    rollup: set[Card]
    touched: dict[str, tuple[bool, set[str]]]
    changed: dict[Card, int]
    # Cards a year later, which compare with these periods: computed again only if they exist.
    following: set[Card]

    @classmethod
    def empty(cls) -> "_Marks":
        return cls(set(), set(), {}, {}, set())


class Scorer:
    def __init__(self, repo: IndicatorsRepository):
        self.repo = repo
        self.ctx = CommandContext(SYSTEM)
        self.marks = _Marks.empty()

    def register(self, registry: HandlerRegistry) -> None:
        for contract in (REALISATION_SUBMITTED, REALISATION_VERIFIED, REALISATION_REJECTED, REALISATION_REOPENED):
            registry.on(contract, self._on_realisation)
        registry.on(TARGET_SET, self._on_target)
        for contract in (INDICATOR_DEFINED, INDICATOR_UPDATED, INDICATOR_RETIRED):
            registry.on(contract, self._on_indicator)
        registry.on(SCORE_CHANGED, self._on_score_changed)
        registry.on(RULEPACK_ADDED, self._on_rule_pack)
        registry.on(RULEPACK_EFFECTIVE, self._on_rule_pack)
        for contract in (PLAN_CREATED, PLAN_UPDATED, PLAN_ARCHIVED):
            registry.on(contract, self._on_plan)
        for contract in (AGREEMENT_SIGNED, AGREEMENT_REVISED):
            registry.on(contract, self._on_agreement)
        registry.on(WEIGHT_SET, self._on_weight)
        for contract in (AGENCY_MOVED, AGENCY_DEACTIVATED, AGENCY_REACTIVATED, AGENCY_UPDATED, AGENCY_REGISTERED,
                         AGENCY_PATH_CHANGED):
            registry.on(contract, self._on_agency)
        registry.after_each_batch(self.flush)

    # -- what makes a scorecard dirty ------------------------------------------------------------

    def mark(self, agency_id: str | None, period: Period) -> None:
        if agency_id:
            self.marks.full.update((agency_id, str(p)) for p in period.containing())
            self.marks.following.update((agency_id, str(p.years_later(1)))
                                        for p in period.containing())

    def _touch(self, agency_id: str, own: bool, parents=()) -> None:
        was_own, others = self.marks.touched.get(agency_id, (False, set()))
        self.marks.touched[agency_id] = (was_own or own, others | set(parents))

    def _on_realisation(self, event: Event, data: dict) -> None:
        realisation = data["realisation"]
        self.mark(realisation["agency_id"], parse_period(realisation["period"]))

    def _on_target(self, event: Event, data: dict) -> None:
        for period in data.get("periods") or [data["period"]]:
            self.mark(data["indicator"]["agency_id"], parse_period(period))

    def _on_indicator(self, event: Event, data: dict) -> None:
        self._touch(data["indicator"]["agency_id"], own=True)

    def _on_score_changed(self, event: Event, data: dict) -> None:
        card = data["scorecard"]
        key = (card["agency_id"], card["period"])
        self.marks.changed[key] = max(self.marks.changed.get(key, 0), event.sequence)

    def _on_weight(self, event: Event, data: dict) -> None:
        agency = self.repo.agency(data["weight"]["id"])
        if agency and agency.get("parent_id"):
            self._touch(agency["id"], own=False, parents={agency["parent_id"]})

    def _on_rule_pack(self, event: Event, data: dict) -> None:
        """A version put in force (or moved) rescores every card from the earlier of its old and new dates."""
        days = [d for d in (data["rulepack"]["effective_from"], data.get("previous_effective_from")) if d]
        if days:
            self.marks.full.update(self.repo.scorecards_from(min(days)))

    def _on_plan(self, event: Event, data: dict) -> None:
        self._touch(data["plan"]["agency_id"], own=True)  # objectives, baselines, end-of-plan targets

    def _on_agreement(self, event: Event, data: dict) -> None:
        self._touch(data["performance_agreement"]["agency_id"], own=True)  # the version in force

    def _on_agency(self, event: Event, data: dict) -> None:
        """A move, (de)activation or rename changes the agency's own cards (what they show of it, its scope)
        and the roll-ups above it (old and new parents)."""
        agency = data["agency"]
        parents = {agency.get("parent_id"), data.get("old_parent_id"), data.get("new_parent_id")} - {None}
        self._touch(agency["id"], own=True, parents=parents)

    # -- computing -------------------------------------------------------------------------------

    def flush(self) -> int:
        """Compute and store every dirty card (deepest agencies first, climbing in the same flush); returns
        how many cards' scores changed. Raises if a card could not be stored: nothing is dropped."""
        marks, self.marks = self.marks, _Marks.empty()
        try:
            return self._flush(marks)
        except BaseException:
            log.warning("a scorecard flush failed; the batch's events will be handled again")
            raise

    def _flush(self, marks: _Marks) -> int:
        full, rollup = set(marks.full), set(marks.rollup)
        if marks.following - full:
            existing = self.repo.scorecards_by_id((scorecard_id(*c) for c in marks.following - full), rollup_only=True)
            full.update(c for c in marks.following - full if scorecard_id(*c) in existing)
        self._resolve_touched(marks.touched, full, rollup)
        self._resolve_changed(marks.changed, rollup)
        if not full and not rollup:
            return 0
        packs = self.repo.rule_packs()
        agencies = self._with_ancestors({agency_id for agency_id, _ in full | rollup})
        levels: dict[int, dict[Card, bool]] = {}
        for card in full | rollup:
            agency = agencies.get(card[0])
            if agency is not None:
                levels.setdefault(len(agency.get("path") or ()), {})[card] = card in full
        changed = 0
        while levels:
            depth = max(levels)
            for agency_id, period in self._compute_level(levels.pop(depth), agencies, packs):
                changed += 1
                parent_id = agencies[agency_id].get("parent_id")
                if parent_id in agencies:
                    levels.setdefault(depth - 1, {}).setdefault((parent_id, period), False)
        return changed

    def _resolve_touched(self, touched: dict[str, tuple[bool, set[str]]], full: set[Card], rollup: set[Card]) -> None:
        """Agencies touched by the batch's events → their dirty cards, with one query."""
        for agency_id, periods in self.repo.scorecard_periods_of(touched).items():
            own, parents = touched[agency_id]
            for period in periods:
                if own:
                    full.add((agency_id, period))
                rollup.update((parent, period) for parent in parents)

    def _resolve_changed(self, changed: dict[Card, int], rollup: set[Card]) -> None:
        """A child's changed card makes its parent's roll-up dirty, unless the parent's card already
        reflects that version of the child's card (it was climbed to in the flush that changed it)."""
        if not changed:
            return
        agencies = self.repo.agencies({agency_id for agency_id, _ in changed})
        wanted = {}
        for (agency_id, period), version in changed.items():
            parent_id = agencies.get(agency_id, {}).get("parent_id")
            if parent_id:
                wanted[(parent_id, period)] = wanted.get((parent_id, period), []) + [(agency_id, version)]
        cards = self.repo.scorecards_by_id((scorecard_id(*card) for card in wanted), rows_only=True)
        for card, children in wanted.items():
            rows = {row["agency_id"]: row.get("card_version") or 0
                    for row in cards.get(scorecard_id(*card), {}).get("children", ())}
            if any(rows.get(child, 0) < version for child, version in children):
                rollup.add(card)

    def _with_ancestors(self, agency_ids: set[str]) -> dict[str, dict]:
        """The agencies and all their ancestors (the cards a flush may climb to), in two queries."""
        agencies = self.repo.agencies(agency_ids)
        above = {a for agency in agencies.values() for a in agency.get("path") or ()} - set(agencies)
        return {**agencies, **(self.repo.agencies(above) if above else {})}

    def _compute_level(self, cards: dict[Card, bool], agencies: dict[str, dict], packs: list[RulePack]) -> list[Card]:
        """Compute and store the cards of one level (True: in full; False: the roll-up only); returns those
        whose scores changed. A card written by someone else meanwhile is computed again, from fresh inputs."""
        changed: list[Card] = []
        conflicts: dict[Card, int] = {}
        pending = dict(cards)
        while pending:
            current = self.repo.scorecards_by_id(scorecard_id(*card) for card in pending)
            # A card without a stored own part is computed in full.
            for card in pending:
                if scorecard_id(*card) not in current:
                    pending[card] = True
            computed = self._computed(pending, current, agencies, packs)
            to_write = {card: (current.get(state["id"]), state) for card, state in computed.items()
                        if differs(current.get(state["id"]), state)}
            lost = self._store(to_write)
            for card in lost:
                conflicts[card] = conflicts.get(card, 0) + 1
                if conflicts[card] >= MAX_CONFLICTS:
                    raise RuntimeError(f"scorecard {scorecard_id(*card)} kept changing under this worker")
            changed += [card for card, (stored, state) in to_write.items()
                        if card not in lost and (stored is None or summary(stored) != summary(state))]
            pending = {card: True for card in lost}
        return changed

    def _computed(self, cards: dict[Card, bool], current: dict[str, dict], agencies: dict[str, dict],
                  packs: list[RulePack]) -> dict[Card, dict]:
        """The cards computed from their inputs, loaded in one query per kind of input for the whole level."""
        owners = {agency_id for agency_id, _ in cards}
        in_full = [card for card, full in cards.items() if full]
        indicators = self.repo.indicators_of({agency_id for agency_id, _ in in_full}) if in_full else {}
        verified = self._verified(in_full, indicators)
        children = self.repo.directory.children_of(owners)
        child_ids = {child["id"] for kids in children.values() for child in kids}
        child_cards = self.repo.scorecards_by_id((scorecard_id(child, period) for child in child_ids
                                                  for period in {p for _, p in cards}), rollup_only=True) \
            if child_ids else {}
        weights = self.repo.weights(child_ids) if child_ids else {}
        comparisons = self._comparisons(in_full, packs)
        computed = {}
        for card, full in cards.items():
            agency_id, period_text = card
            agency, period = agencies[agency_id], parse_period(period_text)
            rules = rule_pack_for(packs, period.start)
            if full:
                own, items, objectives = own_part(period, rules, indicators.get(agency_id, ()),
                                                  verified.get(card, {}), comparisons[card])
            else:
                stored = current[scorecard_id(*card)]
                own, items, objectives = stored["own"], stored["indicators"], stored.get("objectives", [])
            kids = children.get(agency_id, [])
            computed[card] = with_rollup(agency, period, rules, own, items, objectives, kids,
                                         {kid["id"]: child_cards.get(scorecard_id(kid["id"], period_text))
                                          for kid in kids if scorecard_id(kid["id"], period_text) in child_cards},
                                         weights)
        return computed

    def _comparisons(self, cards: list[Card], packs: list[RulePack]) -> dict[Card, Comparisons]:
        """What each card compares its rows with: the plan covering its year, the agreement in force, the
        rule pack of a year earlier; two queries for the level."""
        years = {parse_period(period).year for _, period in cards}
        agencies = {agency_id for agency_id, _ in cards}
        plans = {year: self.repo.plans_covering(agencies, year) for year in years} if cards else {}
        agreements = self.repo.agreements_in_force(agencies, years) if cards else {}
        out = {}
        for agency_id, period_text in cards:
            period = parse_period(period_text)
            before = period.years_later(-1)
            out[(agency_id, period_text)] = Comparisons(
                plan=plan_entries(plans[period.year].get(agency_id), period.year),
                agreement=agreements.get((agency_id, period.year)), previous_rules=rule_pack_for(packs, before.start))
        return out

    def _verified(self, cards: list[Card], indicators: dict[str, list[dict]]) -> dict[Card, dict[str, dict[str, float]]]:
        """Verified values of every card's indicators (a year earlier too), by card, indicator and period:
        one query."""
        needed: dict[str, set[str]] = {}
        for agency_id, period_text in cards:
            period = parse_period(period_text)
            before = period.years_later(-1)
            for indicator in indicators.get(agency_id, ()):
                needed.setdefault(indicator["id"], set()).update(
                    str(p) for p in (*period.inside(indicator["frequency"]), *before.inside(indicator["frequency"])))
        if not needed:
            return {}
        values: dict[str, dict[str, float]] = {}
        for realisation in self.repo.realisations_of(needed, {p for periods in needed.values() for p in periods}):
            if realisation["status"] == "verified" and realisation.get("value") is not None:
                values.setdefault(realisation["indicator_id"], {})[realisation["period"]] = realisation["value"]
        by_card = {}
        for agency_id, period_text in cards:
            by_card[(agency_id, period_text)] = {i["id"]: values.get(i["id"], {}) for i in indicators.get(agency_id, ())}
        return by_card

    def _store(self, cards: dict[Card, tuple[dict | None, dict]]) -> set[Card]:
        """Write the computed cards — the stored ones in one bulk, compare-and-set on the version read before
        their inputs were; `score.changed` with those whose scores changed. Returns the cards another worker
        wrote first (to be computed again)."""
        lost: set[Card] = set()
        updates = []
        at = self.ctx.clock()
        for card, (stored, state) in cards.items():
            contract = SCORE_CHANGED if stored is None or summary(stored) != summary(state) else None
            state = {**state, "computed_at": at}
            if stored is not None and stored.get("rulepack_version") not in (None, state["rulepack_version"]):
                state["rescored_from_version"] = stored["rulepack_version"]  # a new rule pack put in force
            if stored is None:
                try:
                    self.repo.scorecards.create(self.ctx.created(SCORECARD, state, contract, action="compute",
                                                                 audited=False, at=at))
                except Conflict:  # created by another worker meanwhile: compute again, on theirs
                    lost.add(card)
                continue
            updates.append((stored["id"], stored["version"],
                            self.ctx.changed(SCORECARD, stored, state, contract, action="compute", audited=False,
                                             at=at)))
        written = self.repo.scorecards.apply_many(updates)
        by_id = {scorecard_id(*card): card for card in cards}
        return lost | {by_id[card_id] for card_id, _, _ in updates if card_id not in written}
