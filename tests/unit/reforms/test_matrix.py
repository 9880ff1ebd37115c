"""Every command and read of the reforms service against every kind of caller, each on fresh state: who
may (the command writes) and who is refused (Forbidden, nothing written). Over HTTP,
tests/integration/test_reforms_matrix.py keeps one allowed and one refused call per route.

The tree: Jambi > Tanjabbar > 22 units. Every activity is organised by unit01; its follow-up is owned by unit03."""
from __future__ import annotations

from datetime import date

import pytest

from shared.errors import Forbidden
from services.reforms import queries
from services.reforms.commands.activities import (cancel_activity, complete_activity, start_activity,
                                                  update_activity)
from services.reforms.commands.commitments import make_commitment, update_commitment, update_milestone
from services.reforms.commands.follow_ups import create_follow_up, update_follow_up
from services.reforms.commands.instruments import add_instrument, add_version, update_instrument
from services.reforms.commands.surveys import close_phase, create_survey, open_phase
from services.reforms.commands.participants import mark_attendance, register_participants, remove_participant
from tests.support.fakes import pending_events
from tests.unit.reforms.conftest import people, planned

CALLERS = {  # name: (role, home agency)
    "admin": ("admin", None),
    "operator of the organiser": ("operator", "unit01"),
    "operator of the regency": ("operator", "tanjabbar"),
    "operator of the follow-up's owner": ("operator", "unit03"),
    "operator of a sibling": ("operator", "unit02"),
    "evaluator of the regency": ("evaluator", "tanjabbar"),
    "evaluator of a sibling": ("evaluator", "unit02"),
    "viewer of the organiser": ("viewer", "unit01"),
}
WRITERS = {"admin", "operator of the organiser", "operator of the regency"}
READERS = {"admin", "operator of the organiser", "operator of the regency", "evaluator of the regency",
           "viewer of the organiser"}


def _activity(as_, org, status="planned", registered=0) -> str:
    activity = planned(as_(), org["unit01"])
    if registered:
        register_participants(as_(), activity["id"], people(org, range(1, registered + 1)), None)
    if status in ("in_progress", "completed"):
        start_activity(as_(), activity["id"], None)
    if status == "completed":
        complete_activity(as_(), activity["id"], "x", [], None)
    return activity["id"]


def _participant(as_, org, status="planned") -> tuple[str, str]:
    activity = _activity(as_, org, status, registered=1)
    return activity, as_.repo.activities.get(activity)["participants"][0]["id"]


def _follow_up(as_, org) -> str:
    return create_follow_up(as_(), _activity(as_, org, "completed"), {
        "action": "Rencana aksi", "owner_agency_id": org["unit03"], "due": date(2025, 3, 31)})["id"]


# command: (prepare(as_, org) -> call(ctx), allowed callers)
COMMANDS = {
    "plan an activity": (lambda a, o: lambda ctx: planned(ctx, o["unit01"]), WRITERS),
    "change an activity": (lambda a, o: (lambda i: lambda ctx: update_activity(ctx, i, {"venue": "Aula"}, None))(
        _activity(a, o)), WRITERS),
    "start an activity": (lambda a, o: (lambda i: lambda ctx: start_activity(ctx, i, None))(_activity(a, o)), WRITERS),
    "complete an activity": (lambda a, o: (lambda i: lambda ctx: complete_activity(ctx, i, "x", [], None))(
        _activity(a, o, "in_progress")), WRITERS),
    "cancel an activity": (lambda a, o: (lambda i: lambda ctx: cancel_activity(ctx, i, "x", None))(_activity(a, o)),
                           WRITERS),
    "register participants": (lambda a, o: (lambda i: lambda ctx: register_participants(
        ctx, i, people(o, range(5, 7)), None))(_activity(a, o)), WRITERS),
    "withdraw a participant": (lambda a, o: (lambda ap: lambda ctx: remove_participant(ctx, *ap, None))(
        _participant(a, o)), WRITERS),
    "mark attendance": (lambda a, o: (lambda ap: lambda ctx: mark_attendance(ctx, ap[0], [ap[1]], [], None))(
        _participant(a, o, "in_progress")), WRITERS),
    "agree a follow-up": (lambda a, o: (lambda i: lambda ctx: create_follow_up(ctx, i, {
        "action": "x", "owner_agency_id": o["unit03"], "due": date(2025, 3, 31)}))(_activity(a, o, "completed")),
        WRITERS),
    # the owner reports progress; the organiser (and above) may change it too
    "update a follow-up": (lambda a, o: (lambda f: lambda ctx: update_follow_up(ctx, f, {"status": "done"}, None))(
        _follow_up(a, o)), WRITERS | {"operator of the follow-up's owner"}),
    "make a change commitment": (lambda a, o: (lambda ap: lambda ctx: make_commitment(ctx, ap[0], {
        "participant_id": ap[1], "title": "Aksi", "milestones": [{"title": "x", "due": date(2025, 3, 31)}]}))(
        _participant(a, o, "in_progress")), WRITERS),
    "change a commitment": (lambda a, o: (lambda c: lambda ctx: update_commitment(ctx, c["id"], {"title": "Lain"},
                                                                                   None))(_commitment(a, o)), WRITERS),
    "report a milestone": (lambda a, o: (lambda c: lambda ctx: update_milestone(
        ctx, c["id"], c["milestones"][0]["id"], {"status": "done"}, None))(_commitment(a, o)), WRITERS),
    "attach a survey": (lambda a, o: (lambda i: lambda ctx: create_survey(ctx, i, {"instrument_id": "berakhlak-1",
                                                                                    "k": 5}))(_activity(a, o)), WRITERS),
    "open a survey phase": (lambda a, o: (lambda s: lambda ctx: open_phase(ctx, s, "pre"))(_survey(a, o)), WRITERS),
    "close a survey phase": (lambda a, o: (lambda s: lambda ctx: close_phase(ctx, s, "pre"))(_survey(a, o, "pre")),
                             WRITERS),
    # questionnaires belong to no agency: only admins write them
    "add an instrument": (lambda a, o: lambda ctx: add_instrument(ctx, {"code": "baru", **QUESTIONNAIRE}), {"admin"}),
    "add an instrument version": (lambda a, o: (lambda c: lambda ctx: add_version(ctx, "lama", QUESTIONNAIRE))(
        _instrument(a, "lama")), {"admin"}),
    "change an unused instrument": (lambda a, o: (lambda i: lambda ctx: update_instrument(ctx, i, {"title": "Lain"},
                                                                                         None))(_instrument(a, "ubah")),
                                    {"admin"}),
}


def _commitment(as_, org) -> dict:
    activity, participant = _participant(as_, org, "in_progress")
    return make_commitment(as_(), activity, {"participant_id": participant, "title": "Aksi", "milestones": [
        {"title": "Tahap 1", "due": date(2025, 3, 31)}]})


def _survey(as_, org, opened: str | None = None) -> str:
    survey = create_survey(as_(), _activity(as_, org), {"instrument_id": "berakhlak-1", "k": 5})
    if opened:
        open_phase(as_(), survey["id"], opened)
    return survey["id"]


QUESTIONNAIRE = {"title": "Survei", "description": None, "dimensions": [
    {"code": "disiplin", "label": "Disiplin", "items": [{"code": "D1", "text": "Tepat waktu.", "reverse": False}]}]}


def _instrument(as_, code: str) -> str:
    return add_instrument(as_(), {"code": code, **QUESTIONNAIRE})["id"]


def _written(repo) -> set[str]:
    return {e.id for e in pending_events(repo.activities, repo.follow_ups, repo.commitments, repo.instruments,
                                         repo.surveys)}


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_by_role_and_scope(repo, org, as_, command, caller):
    prepare, allowed = COMMANDS[command]
    call = prepare(as_, org)
    before = _written(repo)
    ctx = as_(*CALLERS[caller], caller.replace(" ", "-"))
    if caller in allowed:
        assert call(ctx)["version"] >= 1 and _written(repo) - before
    else:
        with pytest.raises(Forbidden):
            call(ctx)
        assert _written(repo) == before


PAGE = {"page": 1, "page_size": 10}
READS = {
    "an activity": (lambda a, o: (lambda i: lambda p, r: queries.activity(p, r, i))(_activity(a, o)), READERS),
    "its participants": (lambda a, o: (lambda i: lambda p, r: queries.participants(p, r, i))(_activity(a, o)), READERS),
    "its follow-ups": (lambda a, o: (lambda i: lambda p, r: queries.follow_ups_of_activity(p, r, i))(_activity(a, o)),
                       READERS),
    "the organiser's activities": (lambda a, o: lambda p, r: queries.list_activities(
        p, r, {"agency_id": o["unit01"], **PAGE}), READERS),
    "the organiser's reform summary": (lambda a, o: lambda p, r: queries.reform_summary(p, r, o["unit01"], 2025),
                                       READERS),
    "the organiser's follow-ups": (lambda a, o: lambda p, r: queries.list_follow_ups(
        p, r, {"agency_id": o["unit01"], **PAGE}), READERS),
    "a follow-up": (lambda a, o: (lambda f: lambda p, r: queries.follow_up(p, r, f))(_follow_up(a, o)),
                    READERS | {"operator of the follow-up's owner"}),
    "a change commitment": (lambda a, o: (lambda c: lambda p, r: queries.commitment(p, r, c["id"]))(
        _commitment(a, o)), READERS),
    "an activity's commitments": (lambda a, o: (lambda i: lambda p, r: queries.commitments_of_activity(p, r, i))(
        _activity(a, o)), READERS),
    "the organiser's commitments": (lambda a, o: lambda p, r: queries.list_commitments(
        p, r, {"agency_id": o["unit01"], **PAGE}), READERS),
    "the organiser's surveys": (lambda a, o: lambda p, r: queries.list_surveys(p, r, o["unit01"], 2025), READERS),
    "a survey": (lambda a, o: (lambda s: lambda p, r: queries.readable_survey(p, r, s))(_survey(a, o)), READERS),
    "an activity's surveys": (lambda a, o: (lambda i: lambda p, r: queries.surveys_of_activity(p, r, i))(
        _activity(a, o)), READERS),
    "a survey's results": (lambda a, o: (lambda s: lambda p, r: queries.survey_results(p, r, s))(_survey(a, o)),
                           READERS),
    "the organiser's culture index": (lambda a, o: lambda p, r: queries.culture_index(p, r, o["unit01"], 2025),
                                      READERS),
    "the instruments": (lambda a, o: lambda p, r: queries.instruments(p, r), set(CALLERS)),
    "an instrument": (lambda a, o: lambda p, r: queries.instrument(p, r, "berakhlak-1"), set(CALLERS)),
}


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("read", READS)
def test_every_read_by_role_and_scope(repo, org, as_, read, caller):
    prepare, allowed = READS[read]
    call = prepare(as_, org)
    principal = as_.principal(*CALLERS[caller])
    if caller in allowed:
        assert call(principal, repo) is not None
    else:
        with pytest.raises(Forbidden):
            call(principal, repo)
