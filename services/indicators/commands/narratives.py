"""Narratives of the annual report (domain.narratives): an operator of the agency (or above it) writes
a chapter's text or an indicator's analysis for a year. The year's lock closes them with the numbers: a
final report does not change under its readers."""
from __future__ import annotations

from shared.auth.policy import Action
from shared.commands import Change
from shared.errors import Invalid
from services.indicators.commands.common import IndicatorsContext, refuse_if_locked
from services.indicators.domain.narratives import NARRATIVE, empty, narrative_id
from services.indicators.domain.periods import Period


def _write(ctx: IndicatorsContext, agency_id: str, year: int, change, action: str) -> dict:
    agency = ctx.authorized_agency(agency_id, Action.WRITE)

    def decide(current: dict | None, _) -> Change | None:
        refuse_if_locked(ctx, agency, Period(year))
        state = current or empty(agency_id, year)
        fields = change(state)
        if all(state.get(k) == v for k, v in fields.items()) and current is not None:
            return None  # the same words again: nothing to record
        if current is None:
            return ctx.created(NARRATIVE, {**state, **fields}, None, action=action, agency=agency)
        return ctx.changed(NARRATIVE, current, fields, None, action=action, agency=agency)
    return ctx.repo.narratives.update(narrative_id(agency_id, year), decide, create=True)


def write_chapter(ctx: IndicatorsContext, agency_id: str, year: int, chapter: str, body: str) -> dict:
    return _write(ctx, agency_id, year, lambda state: {"chapters": {**state["chapters"], chapter: body}},
                  "write_chapter")


def write_indicator_narrative(ctx: IndicatorsContext, agency_id: str, year: int, indicator_id: str,
                              parts: dict) -> dict:
    """Set the given parts of an indicator's narrative (the others stay)."""
    indicator = ctx.repo.indicators.get(indicator_id)
    if indicator is None or indicator["agency_id"] != agency_id:
        raise Invalid.field("indicator_id", f"{indicator_id} is no indicator of agency {agency_id}")

    def change(state: dict) -> dict:
        merged = {**state["indicators"].get(indicator_id, {}), **parts}
        return {"indicators": {**state["indicators"], indicator_id: merged}}
    return _write(ctx, agency_id, year, change, "write_indicator_narrative")
