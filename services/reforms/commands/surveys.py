"""Work-culture surveys on an activity: attached by its organiser, each phase opened and closed once, answered once
per phase by each registered participant (who is the token's subject: the NIP ASN sign in with).

Closing a phase is two writes: `closing` first (no answer is taken from then on), then, once every answer counted
before is stored, `closed` with the event that carries the phase's aggregates. A close interrupted between the two is
finished by closing again."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

from shared.auth.policy import Action
from shared.contracts.reforms import SURVEY_CLOSED, SURVEY_CREATED, SURVEY_OPENED
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from services.reforms.commands.common import ReformsContext
from services.reforms.commands.instruments import mark_in_use
from services.reforms.domain import survey as rules
from services.reforms.domain.instruments import items_of
from services.reforms.domain.survey import SURVEY

SETTLE_S = 3.0  # how long a close waits for answers counted before it (each is one insert away)


def create_survey(ctx: ReformsContext, activity_id: str, fields: dict) -> dict:
    """Attach an instrument to an activity that is not cancelled (one survey per instrument and activity)."""
    activity = ctx.repo.activities.get(activity_id)
    if activity is None:
        raise NotFound(f"No activity {activity_id}.")
    organiser = ctx.organiser(Action.WRITE)(activity)
    if activity["status"] == "cancelled":
        raise Conflict("The activity was cancelled: it takes no survey.", kind="invalid-state",
                       current_status="cancelled", allowed_states=["planned", "in_progress", "completed"])
    instrument = mark_in_use(ctx, fields["instrument_id"])
    state = {"id": str(uuid.uuid4()), "activity_id": activity["id"], "activity_title": activity["title"],
             "activity_year": activity["year"],
             "organiser_agency_id": organiser["id"], "instrument_id": instrument["id"],
             "instrument_code": instrument["code"], "k": fields.get("k") or rules.DEFAULT_K,
             **{phase: rules.new_phase() for phase in rules.PHASES}, "answered": {phase: 0 for phase in rules.PHASES},
             "salt": secrets.token_hex(16), "post_rollup": None, "rollup_agency_ids": [],
             "created_by": ctx.principal.sub}
    try:
        return ctx.repo.surveys.create(ctx.created(SURVEY, state, SURVEY_CREATED, action="create", agency=organiser,
                                                   history={"phase": None, "status": "created"}))
    except Conflict:
        raise Conflict(f"Activity {activity_id} has a survey with instrument {instrument['id']} already.",
                       kind="duplicate") from None


def _organiser_of(ctx: ReformsContext):
    return ctx.organiser(Action.WRITE)


def open_phase(ctx: ReformsContext, survey_id: str, phase: str, if_match: int | None = None) -> dict:
    def decide(survey: dict, organiser: dict):
        rules.require_openable(survey, phase, ctx.repo.activities.get(survey["activity_id"]))
        at = ctx.clock()
        opened = {**survey[phase], "status": "open", "opened_at": at}
        return ctx.changed(SURVEY, survey, {phase: opened}, SURVEY_OPENED, action=f"open_{phase}", agency=organiser,
                           history={"phase": phase, "status": "open"}, at=at, extra={"phase": phase})
    return ctx.repo.surveys.update(survey_id, decide, if_match=if_match, access=_organiser_of(ctx))


def close_phase(ctx: ReformsContext, survey_id: str, phase: str, if_match: int | None = None) -> dict:
    def closing(survey: dict, organiser: dict):
        if survey[phase]["status"] == "closing":
            return None  # an earlier close stopped half-way: finish it
        rules.require_closable(survey, phase)
        return ctx.changed(SURVEY, survey, {phase: {**survey[phase], "status": "closing"}}, None,
                           action=f"close_{phase}", agency=organiser)
    stopped = ctx.repo.surveys.update(survey_id, closing, if_match=if_match, access=_organiser_of(ctx))
    answers = ctx.repo.settled_answers(survey_id, phase, ctx.repo.answered(survey_id, phase), SETTLE_S)
    instrument = ctx.repo.instrument(stopped["instrument_id"])
    dimensions = [(d["code"], d["label"]) for d in instrument["dimensions"]]
    other = "post" if phase == "pre" else "pre"
    pre, post = (answers, ctx.repo.answers_of(survey_id, other)) if phase == "pre" \
        else (ctx.repo.answers_of(survey_id, other), answers)
    results = rules.dimension_results(dimensions, pre, post, stopped["k"])
    rollup = rules.rollup([code for code, _ in dimensions], answers, ctx.repo.paths({a["agency_id"] for a in answers}),
                          stopped["k"])

    def closed(survey: dict, organiser: dict):
        if survey[phase]["status"] != "closing":
            return None  # closed by another request meanwhile
        at = ctx.clock()
        fields = {phase: {**survey[phase], "status": "closed", "closed_at": at}}
        if phase == "post":
            fields |= {"post_rollup": rollup, "rollup_agency_ids": [r["agency_id"] for r in rollup if r["shown"]]}
        return ctx.changed(SURVEY, survey, fields, SURVEY_CLOSED, action=f"close_{phase}", agency=organiser,
                           history={"phase": phase, "status": "closed"}, at=at,
                           extra={"phase": phase, "respondents": len(answers), "dimensions": results,
                                  "rollup": rollup})
    return ctx.repo.surveys.update(survey_id, closed, access=_organiser_of(ctx))


def respondent_key(salt: str, nip: str) -> str:
    """Who answered, as the answers know it: pairs a person's pre and post answers without naming them."""
    return hmac.new(salt.encode(), nip.encode(), hashlib.sha256).hexdigest()[:32]


def answer_survey(ctx: ReformsContext, survey_id: str, phase: str, answers: dict) -> dict:
    """The caller's answers to a phase, once: they must be a registered participant of the activity (403 for anyone
    else, whatever their role) and the phase must take answers (409)."""
    survey = ctx.repo.surveys.get(survey_id, internal=True)
    if survey is None:
        raise NotFound(f"No survey {survey_id}.")
    status, participant = ctx.repo.participant_by_nip(survey["activity_id"], ctx.principal.sub)
    if participant is None:
        raise Forbidden("Forbidden: only the activity's registered participants answer its survey (the token's "
                        "subject must be the NIP they were registered with).", kind="not-participant")
    rules.require_accepting(survey, phase, status)
    items = items_of(ctx.repo.instrument(survey["instrument_id"]))
    if problems := rules.answer_problems(items, answers):
        raise Invalid(problems)
    respondent = respondent_key(survey["salt"], ctx.principal.sub)
    answer_id = f"{survey_id}:{phase}:{respondent}"
    # Counted first, stored second, uncounted if the database says it was answered already: a close waits for the
    # count, so no answer it counted is left out of its aggregates.
    if not ctx.repo.count_answer(survey_id, phase):
        rules.require_accepting(ctx.repo.surveys.get(survey_id), phase, status)  # says why
        raise Conflict(f"The {phase} phase does not take answers.", kind="phase-not-open", phase=phase)
    at = ctx.clock()
    stored = ctx.repo.add_answer({"_id": answer_id, "survey_id": survey_id, "phase": phase, "respondent": respondent,
                                  "agency_id": participant["agency_id"], "items": dict(answers),
                                  "scores": rules.scores(items, answers), "at": at})
    if not stored:
        ctx.repo.count_answer(survey_id, phase, -1)
        raise _answered(phase)
    return {"survey_id": survey_id, "phase": phase, "answered_at": at}


def _answered(phase: str) -> Conflict:
    return Conflict(f"You have answered the {phase} phase already; each phase is answered once.",
                    kind="already-answered", phase=phase)
