"""A work-culture survey on an activity: its two phases and when they may open, and what its answers add up to.

The rule chosen for the phases: `pre` measures before the activity has had its effect, so it opens while the activity
is planned or in progress and takes answers until the activity is completed at the latest; `post` measures after, so
it opens once the activity has started and `pre` is closed. The rule follows the activity's status, not the clock, so
that an activity recorded after the fact (a paper questionnaire typed in later) is measured the same way. A closed phase is final (its aggregates went out in an event and may
have fed an indicator). Results name no one: a group of fewer than `k` respondents is "too few to show", never a number.
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterable, Mapping

from shared.commands import Kind
from shared.errors import Conflict
from services.reforms.domain.culture_stats import OVERALL, Item, group_mean, indices, paired_change

PHASES = ("pre", "post")
PHASE_STATUSES = ("scheduled", "open", "closing", "closed")  # closing: refusing answers, not yet told
DEFAULT_K = 5
ROUNDING = 2  # an index on 0–100 shown to two decimals


def new_phase() -> dict:
    return {"status": "scheduled", "opened_at": None, "closed_at": None}


def require_openable(survey: Mapping, phase: str, activity: Mapping) -> None:
    """Conflict unless `phase` may open now (see the module's rule)."""
    current = survey[phase]["status"]
    if current != "scheduled":
        raise Conflict(f"The {phase} phase is {current} already; a phase opens once.", kind="phase-state",
                       phase=phase, phase_status=current)
    if activity["status"] == "cancelled":
        raise Conflict("The activity was cancelled: its survey does not open.", kind="invalid-state",
                       current_status="cancelled", allowed_states=["planned", "in_progress", "completed"])
    if phase == "pre" and activity["status"] == "completed":
        raise Conflict("The pre phase opens only before the activity ends.", kind="phase-order", phase=phase)
    if phase == "post":
        if activity["status"] == "planned":
            raise Conflict("The post phase opens once the activity has started.", kind="phase-order", phase=phase)
        if survey["pre"]["status"] == "open":
            raise Conflict("Close the pre phase before opening the post phase.", kind="phase-order", phase=phase)


def require_closable(survey: Mapping, phase: str) -> None:
    current = survey[phase]["status"]
    if current != "open":
        raise Conflict(f"Only an open phase closes; the {phase} phase is {current}.", kind="phase-state",
                       phase=phase, phase_status=current)


def require_accepting(survey: Mapping, phase: str, activity_status: str) -> None:
    """Conflict unless `phase` takes answers now: open, and for `pre` the activity is not completed."""
    current = survey[phase]["status"]
    if current != "open" or (phase == "pre" and activity_status == "completed"):
        raise Conflict(f"The {phase} phase does not take answers"
                       f"{' (the activity is completed)' if current == 'open' else f': it is {current}'}.",
                       kind="phase-not-open", phase=phase, phase_status=current)


def answer_problems(items: list[Item], answers: Mapping[str, object]) -> dict[str, list[str]]:
    """Every item answered with a whole number 1–5, and nothing else."""
    codes = {item.code for item in items}
    problems: dict[str, list[str]] = {}
    for code in sorted(codes - answers.keys()):
        problems[f"answers.{code}"] = ["not answered"]
    for code in sorted(answers.keys() - codes):
        problems[f"answers.{code}"] = ["not an item of this instrument"]
    for code in sorted(codes & answers.keys()):
        value = answers[code]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            problems[f"answers.{code}"] = ["a whole number from 1 to 5"]
    return problems


def scores(items: list[Item], answers: Mapping[str, int]) -> dict[str, float]:
    return indices(items, answers)


# -- results ------------------------------------------------------------------------------------------------------

def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, ROUNDING)


def _mean(values: list[float], k: int) -> dict:
    mean = group_mean(values, k)
    return {"respondents": mean.respondents, "shown": mean.shown, "mean": _rounded(mean.mean)}


def _change(pre: Mapping[str, float], post: Mapping[str, float], k: int) -> dict:
    change = paired_change(pre, post, k)
    return {"pairs": change.pairs, "shown": change.shown, "mean": _rounded(change.mean), "low": _rounded(change.low),
            "high": _rounded(change.high)}


def dimension_results(dimensions: list[tuple[str, str]], pre: list[Mapping], post: list[Mapping], k: int) -> list[dict]:
    """Per dimension and overall: pre and post means and the paired change. `pre`/`post`: answers as stored
    ({respondent, scores})."""
    rows = []
    for code, label in [*dimensions, (OVERALL, "Keseluruhan")]:
        before = {a["respondent"]: a["scores"][code] for a in pre if code in a["scores"]}
        after = {a["respondent"]: a["scores"][code] for a in post if code in a["scores"]}
        rows.append({"code": code, "label": label, "pre": _mean(list(before.values()), k),
                     "post": _mean(list(after.values()), k), "change": _change(before, after, k)})
    return rows


def _by(answers: list[Mapping], key) -> dict[str, list[Mapping]]:
    groups: dict[str, list[Mapping]] = {}
    for answer in answers:
        for group in key(answer):
            groups.setdefault(group, []).append(answer)
    return groups


def by_agency(dimensions: list[tuple[str, str]], pre: list[Mapping], post: list[Mapping], k: int) -> list[dict]:
    """The same per participating agency (the respondent's own), each under the k rule, by agency id."""
    before, after = _by(pre, lambda a: (a["agency_id"],)), _by(post, lambda a: (a["agency_id"],))
    return [{"agency_id": agency_id,
             "dimensions": dimension_results(dimensions, before.get(agency_id, []), after.get(agency_id, []), k)}
            for agency_id in sorted(before.keys() | after.keys())]


def rollup(dimensions: Iterable[str], answers: list[Mapping], paths: Mapping[str, list[str]], k: int) -> list[dict]:
    """A phase's means for every agency whose subtree has respondents (the respondent's agency and its ancestors, from
    `paths`), under the k rule: what a closed phase tells others and the culture index reads."""
    codes = [*dimensions, OVERALL]
    groups = _by(answers, lambda a: {*paths.get(a["agency_id"], ()), a["agency_id"]})
    rows = []
    for agency_id in sorted(groups):
        members = groups[agency_id]
        shown = len(members) >= k
        rows.append({"agency_id": agency_id, "respondents": len(members), "shown": shown,
                     "means": {code: _rounded(group_mean([a["scores"][code] for a in members if code in a["scores"]],
                                                         1).mean) for code in codes} if shown else None})
    return rows


# -- as events show it ----------------------------------------------------------------------------------------------

SNAPSHOT_FIELDS = ("id", "activity_id", "organiser_agency_id", "activity_year", "instrument_id", "instrument_code", "k")


def survey_snapshot(survey: Mapping) -> dict:
    return {**{k: survey[k] for k in SNAPSHOT_FIELDS},
            **{phase: {"status": survey[phase]["status"], "opened_at": _iso(survey[phase]["opened_at"]),
                       "closed_at": _iso(survey[phase]["closed_at"])} for phase in PHASES}}


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


SURVEY = Kind("survey", survey_snapshot)
