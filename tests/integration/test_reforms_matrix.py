"""Every route of the reforms service over HTTP, once by a caller who may (the exact success status) and once
by one who may not (403 problem+json), each on fresh state. The whole role × scope matrix runs on the commands
and queries (tests/unit/reforms/test_matrix.py); this checks that every route hands the caller to them.

The tree: Jambi > Tanjabbar > 22 units. Every activity is organised by unit01; its follow-up is owned by
unit03."""
from __future__ import annotations

import pytest

from tests.conftest import auth_header
from tests.support.kafka_tools import unique
from tests.support.matrix import one_allowed_and_one_refused
from tests.unit.reforms.test_matrix import CALLERS, READERS, WRITERS
from tests.integration.reforms_support import (FGD, org, people, plan, ref, reforms_app,  # noqa: F401
                                               reforms_registry, reforms_repo, reforms_settings)

def _activity(ref, org, status="planned", registered=0):
    activity = plan(ref, org["unit01"])
    if registered:
        ref.post(f"/api/v1/activities/{activity['id']}/participants",
                 json={"participants": people(org, range(1, registered + 1))})
    if status in ("in_progress", "completed"):
        assert ref.post(f"/api/v1/activities/{activity['id']}/start").status_code == 200
    if status == "completed":
        assert ref.post(f"/api/v1/activities/{activity['id']}/complete", json={"summary": "x"}).status_code == 200
    return activity


def _participant(ref, org, status="planned"):
    activity = _activity(ref, org, status, registered=1)
    listed = ref.get(f"/api/v1/activities/{activity['id']}/participants").get_json()
    return activity["id"], listed["items"][0]["id"]


def _follow_up(ref, org):
    activity = _activity(ref, org, "completed")
    response = ref.post(f"/api/v1/activities/{activity['id']}/follow-ups", json={
        "action": "Rencana aksi", "owner_agency_id": org["unit03"], "due": "2025-03-31"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _commitment(ref, org) -> dict:
    activity, participant = _participant(ref, org, "in_progress")
    response = ref.post(f"/api/v1/activities/{activity}/commitments", json={
        "participant_id": participant, "title": "Aksi", "milestones": [{"title": "Tahap 1", "due": "2025-03-31"}]})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _survey(ref, org, opened=None) -> str:
    activity = _activity(ref, org)
    response = ref.post(f"/api/v1/activities/{activity['id']}/surveys", json={"instrument_id": "berakhlak-1"})
    assert response.status_code == 201, response.get_json()
    if opened:
        assert ref.post(f"/api/v1/surveys/{response.get_json()['id']}/phases/{opened}/open").status_code == 200
    return response.get_json()["id"]


QUESTIONNAIRE = {"title": "Survei", "dimensions": [
    {"code": "disiplin", "label": "Disiplin", "items": [{"code": "D1", "text": "Tepat waktu."}]}]}


def _instrument(ref, code: str) -> str:
    response = ref.post("/api/v1/instruments", json={"code": code, **QUESTIONNAIRE})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def unique_code() -> str:
    return unique("q").lower().replace("-", "_")


# route: (prepare(ref, org) -> (method, path, json body, extra headers), success status, allowed callers)
WRITES = {
    "plan an activity": (lambda r, o: ("post", "/api/v1/activities", {**FGD, "organiser_agency_id": o["unit01"]}, {}),
                         201, WRITERS),
    "change an activity": (lambda r, o: ("patch", f"/api/v1/activities/{_activity(r, o)['id']}", {"venue": "Aula"},
                                         {"If-Match": "*"}), 200, WRITERS),
    "start an activity": (lambda r, o: ("post", f"/api/v1/activities/{_activity(r, o)['id']}/start", None, {}),
                          200, WRITERS),
    "complete an activity": (lambda r, o: ("post", f"/api/v1/activities/{_activity(r, o, 'in_progress')['id']}/complete",
                                           {"summary": "x"}, {}), 200, WRITERS),
    "cancel an activity": (lambda r, o: ("post", f"/api/v1/activities/{_activity(r, o)['id']}/cancel",
                                         {"reason": "x"}, {}), 200, WRITERS),
    "register participants": (lambda r, o: ("post", f"/api/v1/activities/{_activity(r, o)['id']}/participants",
                                            {"participants": people(o, range(5, 7))}, {}), 201, WRITERS),
    "withdraw a participant": (lambda r, o: ("delete", "/api/v1/activities/{}/participants/{}".format(
        *_participant(r, o)), None, {}), 200, WRITERS),
    "mark attendance": (lambda r, o: (lambda a, p: ("post", f"/api/v1/activities/{a}/attendance", {"attended": [p]},
                                                    {}))(*_participant(r, o, "in_progress")), 200, WRITERS),
    "agree a follow-up": (lambda r, o: ("post", f"/api/v1/activities/{_activity(r, o, 'completed')['id']}/follow-ups",
                                        {"action": "x", "owner_agency_id": o["unit03"], "due": "2025-03-31"}, {}),
                          201, WRITERS),
    # the owner reports progress; the organiser (and above) may change it too
    "update a follow-up": (lambda r, o: ("patch", f"/api/v1/follow-ups/{_follow_up(r, o)}", {"status": "done"},
                                         {"If-Match": "*"}), 200, WRITERS | {"operator of the follow-up's owner"}),
    "make a change commitment": (lambda r, o: (lambda a, p: ("post", f"/api/v1/activities/{a}/commitments", {
        "participant_id": p, "title": "Aksi", "milestones": [{"title": "x", "due": "2025-03-31"}]}, {}))(
        *_participant(r, o, "in_progress")), 201, WRITERS),
    "change a commitment": (lambda r, o: ("patch", f"/api/v1/commitments/{_commitment(r, o)['id']}", {"title": "Lain"},
                                          {"If-Match": "*"}), 200, WRITERS),
    "report a milestone": (lambda r, o: (lambda c: ("patch", f"/api/v1/commitments/{c['id']}/milestones/"
                                                             f"{c['milestones'][0]['id']}", {"status": "done"},
                                                    {"If-Match": "*"}))(_commitment(r, o)), 200, WRITERS),
    "attach a survey": (lambda r, o: ("post", f"/api/v1/activities/{_activity(r, o)['id']}/surveys",
                                      {"instrument_id": "berakhlak-1"}, {}), 201, WRITERS),
    "open a survey phase": (lambda r, o: ("post", f"/api/v1/surveys/{_survey(r, o)}/phases/pre/open", None, {}),
                            200, WRITERS),
    "close a survey phase": (lambda r, o: ("post", f"/api/v1/surveys/{_survey(r, o, 'pre')}/phases/pre/close", None,
                                           {}), 200, WRITERS),
    "add an instrument": (lambda r, o: ("post", "/api/v1/instruments", {"code": unique_code(), **QUESTIONNAIRE}, {}),
                          201, {"admin"}),
    "add an instrument version": (lambda r, o: ("post", f"/api/v1/instruments/{_instrument(r, unique_code())[:-2]}"
                                                        "/versions", QUESTIONNAIRE, {}), 201, {"admin"}),
    "change an unused instrument": (lambda r, o: ("patch", f"/api/v1/instruments/{_instrument(r, unique_code())}",
                                                  {"title": "Lain"}, {"If-Match": "*"}), 200, {"admin"}),
}


@pytest.mark.parametrize("route, caller", one_allowed_and_one_refused(WRITES, CALLERS))
def test_every_write_route_by_role_and_scope(ref, org, route, caller):
    prepare, success, allowed = WRITES[route]
    method, path, body, extra = prepare(ref, org)
    role, home = CALLERS[caller]
    headers = {**auth_header(role, org[home] if home else "*", sub=caller.replace(" ", "-")), **extra}
    response = getattr(ref, method)(path, json=body, headers=headers)
    expected = success if caller in allowed else 403
    assert response.status_code == expected, response.get_json()
    if expected == 403:
        assert response.content_type == "application/problem+json"


READS = {
    "an activity": (lambda r, o: f"/api/v1/activities/{_activity(r, o)['id']}", READERS),
    "its participants": (lambda r, o: f"/api/v1/activities/{_activity(r, o)['id']}/participants", READERS),
    "its follow-ups": (lambda r, o: f"/api/v1/activities/{_activity(r, o)['id']}/follow-ups", READERS),
    "the organiser's activities": (lambda r, o: f"/api/v1/activities?agency_id={o['unit01']}", READERS),
    "the organiser's reform summary": (lambda r, o: f"/api/v1/agencies/{o['unit01']}/reform-summary?year=2025",
                                       READERS),
    "the organiser's follow-ups": (lambda r, o: f"/api/v1/follow-ups?agency_id={o['unit01']}", READERS),
    "a follow-up": (lambda r, o: f"/api/v1/follow-ups/{_follow_up(r, o)}", READERS | {"operator of the follow-up's owner"}),
    "a change commitment": (lambda r, o: f"/api/v1/commitments/{_commitment(r, o)['id']}", READERS),
    "an activity's commitments": (lambda r, o: f"/api/v1/activities/{_activity(r, o)['id']}/commitments", READERS),
    "the organiser's commitments": (lambda r, o: f"/api/v1/commitments?agency_id={o['unit01']}", READERS),
    "the organiser's surveys": (lambda r, o: f"/api/v1/surveys?agency_id={o['unit01']}&year=2025", READERS),
    "a survey": (lambda r, o: f"/api/v1/surveys/{_survey(r, o)}", READERS),
    "an activity's surveys": (lambda r, o: f"/api/v1/activities/{_activity(r, o)['id']}/surveys", READERS),
    "a survey's results": (lambda r, o: f"/api/v1/surveys/{_survey(r, o)}/results", READERS),
    "the organiser's culture index": (lambda r, o: f"/api/v1/agencies/{o['unit01']}/culture-index?year=2025", READERS),
}


@pytest.mark.parametrize("route, caller", one_allowed_and_one_refused(READS, CALLERS))
def test_every_read_route_by_role_and_scope(ref, org, route, caller):
    path, allowed = READS[route]
    role, home = CALLERS[caller]
    response = ref.get(path(ref, org), headers=auth_header(role, org[home] if home else "*"))
    assert response.status_code == (200 if caller in allowed else 403), response.get_json()
