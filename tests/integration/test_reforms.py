"""The reforms service on real MongoDB: activities from plan to follow-up, checked against its replicas
of the agency tree and of indicators; every refusal leaves the activity and its events as they were."""
from __future__ import annotations

import pytest

from tests.conftest import auth_header
from tests.integration.reforms_support import (FGD, indicators, org, pending_events, people, plan,  # noqa: F401
                                               ref, reforms_app, reforms_registry, reforms_repo, reforms_settings)


def started(ref, activity):
    response = ref.post(f"/api/v1/activities/{activity['id']}/start")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def completed(ref, activity, summary="Sepakat menyusun rencana aksi budaya kerja"):
    response = ref.post(f"/api/v1/activities/{activity['id']}/complete", json={"summary": summary,
                                                                             "outcomes": ["Rencana aksi"]})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_areas_are_the_eight_areas_of_change_and_the_thematic_ones(ref):
    areas = ref.get("/api/v1/areas").get_json()
    assert [a["code"] for a in areas if a["group"] == "general"] == [
        "manajemen_perubahan", "deregulasi_kebijakan", "penataan_organisasi", "penataan_tatalaksana",
        "penataan_sdm_aparatur", "penguatan_akuntabilitas", "penguatan_pengawasan",
        "peningkatan_kualitas_pelayanan_publik"]
    assert {a["code"] for a in areas if a["group"] == "thematic"} == {
        "penanggulangan_kemiskinan", "peningkatan_investasi", "digitalisasi_administrasi", "prioritas_presiden"}


def test_planning_answers_201_with_location_etag_and_the_planned_event(ref, org, indicators, reforms_repo):
    linked = indicators.define(org["tanjabbar"])
    response = ref.post("/api/v1/activities", json={
        **FGD, "organiser_agency_id": org["tanjabbar"], "facilitator": {"agency_id": org["lan_dia"]},
        "speakers": [{"name": "Dr. Basseng, M.Ed", "title": "Kepala Pusat Inovasi Tata Pemerintahan",
                      "affiliation": "LAN"}], "linked_indicator_ids": [linked["id"]]})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"].endswith(f"/api/v1/activities/{body['id']}")
    assert (body["status"], body["year"], body["start"], body["end"]) == (
        "planned", 2025, "2025-01-30T08:00:00+07:00", "2025-01-30T16:00:00+07:00")
    assert body["linked_indicators"] == [{"id": linked["id"], "agency_id": org["tanjabbar"], "code": linked["code"],
                                          "name": linked["name"], "status": "active"}]
    assert "participants" not in body and "outbox" not in body
    [event] = pending_events(reforms_repo.activities.collection, body["id"])
    assert event["type"] == "kinerja.activity.planned.v1"
    assert event["data"]["activity"]["start"] == "2025-01-30T08:00:00+07:00"
    assert ref.get(f"/api/v1/activities/{body['id']}").get_json() == body


BAD_PLANS = [
    ({"end": "2025-01-30T07:00:00+07:00"}, "end"),
    ({"end": "2025-01-30T08:00:00+07:00"}, "end"),
    ({"start": "2025-01-30T08:00:00"}, "start"),
    ({"area": "reformasi"}, "area"),
    ({"kind": "party"}, "kind"),
    ({"facilitator": {"agency_id": "x", "name": "LAN"}}, "facilitator"),
    ({"facilitator": {"agency_id": "no-such-agency"}}, "facilitator.agency_id"),
    ({"organiser_agency_id": "no-such-agency"}, "organiser_agency_id"),
    ({"planned_participants": -1}, "planned_participants"),
    ({"title": ""}, "title"),
]


@pytest.mark.parametrize("change, field", BAD_PLANS)
def test_a_bad_plan_is_422_naming_the_field_and_nothing_is_stored(ref, org, reforms_repo, change, field):
    before = reforms_repo.activities.count({})
    response = ref.post("/api/v1/activities", json={**FGD, "organiser_agency_id": org["tanjabbar"], **change})
    assert response.status_code == 422, response.get_json()
    assert response.content_type == "application/problem+json"
    assert field in response.get_json()["errors"]
    assert reforms_repo.activities.count({}) == before


def test_an_inactive_organiser_and_unknown_or_retired_indicators_are_422(ref, org, indicators):
    response = ref.post("/api/v1/activities", json={**FGD, "organiser_agency_id": org["closed"]})
    assert response.status_code == 422
    assert "inactive" in response.get_json()["errors"]["organiser_agency_id"][0]
    retired = indicators.define(org["tanjabbar"], status="retired")
    response = ref.post("/api/v1/activities", json={**FGD, "organiser_agency_id": org["tanjabbar"],
                                                    "linked_indicator_ids": ["no-such-indicator", retired["id"]]})
    assert response.status_code == 422
    assert response.get_json()["errors"]["linked_indicator_ids"] == [
        "no indicator no-such-indicator is known to this service",
        f"indicator {retired['code']} ({retired['id']}) is retired"]


def activity_in(ref, org, status: str) -> dict:
    activity = plan(ref, org["tanjabbar"])
    if status in ("in_progress", "completed"):
        activity = started(ref, activity)
    if status == "completed":
        activity = completed(ref, activity)
    if status == "cancelled":
        activity = ref.post(f"/api/v1/activities/{activity['id']}/cancel", json={"reason": "banjir"}).get_json()
    assert activity["status"] == status
    return activity


ILLEGAL = [("planned", "complete"), ("in_progress", "start"), ("completed", "start"), ("completed", "complete"),
           ("completed", "cancel"), ("cancelled", "start"), ("cancelled", "complete"), ("cancelled", "cancel")]
BODIES = {"start": None, "complete": {"summary": "x"}, "cancel": {"reason": "x"}}


@pytest.mark.parametrize("status, verb", ILLEGAL)
def test_every_illegal_transition_is_409_with_what_is_allowed_and_no_event(ref, org, reforms_repo, status, verb):
    activity = activity_in(ref, org, status)
    events = pending_events(reforms_repo.activities.collection, activity["id"])
    response = ref.post(f"/api/v1/activities/{activity['id']}/{verb}", json=BODIES[verb])
    assert response.status_code == 409, response.get_json()
    problem = response.get_json()
    assert problem["type"].endswith("/invalid-transition") and problem["current_status"] == status
    assert f"allowed from {status}" in problem["detail"]
    assert problem["allowed"] == {"planned": ["cancel", "start"], "in_progress": ["cancel", "complete"]}.get(status, [])
    after = ref.get(f"/api/v1/activities/{activity['id']}")
    assert after.headers["ETag"] == f'"{activity["version"]}"'
    assert pending_events(reforms_repo.activities.collection, activity["id"]) == events


def test_the_lifecycle_records_who_moved_it_and_emits_one_event_per_step(ref, org, reforms_repo):
    activity = activity_in(ref, org, "completed")
    assert [h["status"] for h in activity["history"]] == ["planned", "in_progress", "completed"]
    assert activity["summary"] == "Sepakat menyusun rencana aksi budaya kerja"
    assert [e["type"] for e in pending_events(reforms_repo.activities.collection, activity["id"])] == [
        "kinerja.activity.planned.v1", "kinerja.activity.started.v1", "kinerja.activity.completed.v1"]
    cancelled = activity_in(ref, org, "cancelled")
    assert cancelled["cancel_reason"] == "banjir"
    last = pending_events(reforms_repo.activities.collection, cancelled["id"])[-1]
    assert (last["type"], last["data"]["reason"]) == ("kinerja.activity.cancelled.v1", "banjir")


def test_a_change_needs_if_match_and_an_open_activity(ref, org, reforms_repo):
    activity = plan(ref, org["tanjabbar"])
    url = f"/api/v1/activities/{activity['id']}"
    assert ref.patch(url, json={"venue": "Aula Bappeda"}).status_code == 428
    assert ref.patch(url, json={"venue": "Aula Bappeda"}, headers={"If-Match": '"7"'}).status_code == 412
    response = ref.patch(url, json={"venue": "Aula Bappeda", "end": "2025-01-31T12:00:00+07:00"},
                         headers={"If-Match": '"1"'})
    assert response.status_code == 200, response.get_json()
    assert (response.get_json()["venue"], response.get_json()["end"]) == ("Aula Bappeda", "2025-01-31T12:00:00+07:00")
    assert pending_events(reforms_repo.activities.collection, activity["id"])[-1]["data"]["changed"] == ["end", "venue"]
    bad = ref.patch(url, json={"end": "2025-01-29T12:00:00+07:00"}, headers={"If-Match": '"2"'})
    assert bad.status_code == 422 and "end" in bad.get_json()["errors"]
    done = activity_in(ref, org, "completed")
    refused = ref.patch(f"/api/v1/activities/{done['id']}", json={"venue": "x"}, headers={"If-Match": "*"})
    assert refused.status_code == 409 and refused.get_json()["type"].endswith("/invalid-state")


def test_registration_counts_and_refuses_duplicates_inactive_and_unknown_agencies(ref, org, reforms_repo):
    activity = plan(ref, org["tanjabbar"])
    url = f"/api/v1/activities/{activity['id']}/participants"
    response = ref.post(url, json={"participants": people(org, range(1, 21))})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["planned"], body["registered"], body["attended"], body["not_marked"]) == (22, 20, 0, 20)
    assert response.headers["ETag"] == '"2"'
    events = pending_events(reforms_repo.activities.collection, activity["id"])
    refusals = [
        ([{"agency_id": org["unit03"], "name": "  pimpinan   03 "}], 409, "duplicate"),
        ([{"agency_id": org["unit21"], "name": "Ayu"}, {"agency_id": org["unit21"], "name": "AYU"}], 409, "duplicate"),
        ([{"agency_id": org["unit21"], "name": "Ayu"}, {"agency_id": org["closed"], "name": "Budi"}], 422, None),
        ([{"agency_id": "no-such-agency", "name": "Citra"}], 422, None),
        ([{"agency_id": org["unit21"], "name": "Dewi", "nip": "12345"}], 422, None),
    ]
    for participants, status, kind in refusals:
        refused = ref.post(url, json={"participants": participants})
        assert refused.status_code == status, (participants, refused.get_json())
        if kind:
            assert refused.get_json()["type"].endswith(f"/{kind}")
    problem = ref.post(url, json={"participants": [{"agency_id": org["closed"], "name": "Budi"}]}).get_json()
    assert "inactive" in problem["errors"]["participants.0.agency_id"][0]
    after = ref.get(url)
    assert after.get_json()["registered"] == 20 and after.headers["ETag"] == '"2"'
    assert pending_events(reforms_repo.activities.collection, activity["id"]) == events
    more = ref.post(url, json={"participants": people(org, range(21, 23))}).get_json()
    assert more["registered"] == 22
    assert [e["type"] for e in pending_events(reforms_repo.activities.collection, activity["id"])][-1] == \
        "kinerja.activity.participants_registered.v1"
    registered_event = pending_events(reforms_repo.activities.collection, activity["id"])[-1]
    assert [p["name"] for p in registered_event["data"]["participants"]] == ["Pimpinan 21", "Pimpinan 22"]
    withdrawn = more["items"][0]["id"]
    left = ref.delete(f"{url}/{withdrawn}")
    assert left.status_code == 200 and left.get_json()["registered"] == 21
    assert ref.delete(f"{url}/{withdrawn}").status_code == 404


def test_attendance_is_marked_while_in_progress_only(ref, org):
    activity = plan(ref, org["tanjabbar"])
    items = ref.post(f"/api/v1/activities/{activity['id']}/participants",
                     json={"participants": people(org, range(1, 4))}).get_json()["items"]
    url = f"/api/v1/activities/{activity['id']}/attendance"
    ids = [p["id"] for p in items]
    early = ref.post(url, json={"attended": ids})
    assert early.status_code == 409 and early.get_json()["type"].endswith("/invalid-state")
    started(ref, activity)
    assert ref.post(url, json={"attended": ["nobody"]}).status_code == 422
    assert ref.post(url, json={}).status_code == 422
    marked = ref.post(url, json={"attended": ids[:2], "absent": ids[2:]}).get_json()
    assert (marked["registered"], marked["attended"], marked["not_marked"]) == (3, 2, 0)
    assert [p["attended"] for p in marked["items"]] == [True, True, False]
    completed(ref, activity)
    late = ref.post(f"/api/v1/activities/{activity['id']}/participants",
                    json={"participants": people(org, range(5, 6))})
    assert late.status_code == 409
    assert ref.post(url, json={"attended": ids[2:]}).status_code == 409


def test_follow_ups_are_agreed_after_the_activity_and_listed_overdue_by_due_date(ref, org, reforms_repo):
    planned = plan(ref, org["tanjabbar"])
    agreed = {"action": "Rencana aksi budaya kerja", "owner_agency_id": org["unit01"], "due": "2025-03-31"}
    early = ref.post(f"/api/v1/activities/{planned['id']}/follow-ups", json=agreed)
    assert early.status_code == 409
    activity = activity_in(ref, org, "completed")
    url = f"/api/v1/activities/{activity['id']}/follow-ups"
    assert ref.post(url, json={**agreed, "owner_agency_id": org["closed"]}).status_code == 422
    assert ref.post(url, json={**agreed, "due": "31-03-2025"}).status_code == 422
    created = [ref.post(url, json={**agreed, "action": action, "due": due, "owner_agency_id": org[owner]})
               for action, due, owner in (("Laporan ke LAN", "2025-02-28", "unit01"),
                                          ("Internalisasi nilai ASN", "2025-06-30", "unit02"),
                                          ("Rencana aksi", "2025-03-31", "unit01"),
                                          ("Evaluasi", "2026-12-31", "unit02"),
                                          ("Di kabupaten lain", "2025-01-31", "tanjabtim_unit"))]
    assert [r.status_code for r in created] == [201] * 5
    first = created[0].get_json()
    assert created[0].headers["Location"].endswith(f"/api/v1/follow-ups/{first['id']}")
    assert pending_events(reforms_repo.follow_ups.collection, first["id"])[0]["type"] == "kinerja.follow_up.created.v1"
    done = ref.patch(f"/api/v1/follow-ups/{created[2].get_json()['id']}", json={"status": "done"},
                     headers={"If-Match": '"1"'})
    assert done.status_code == 200 and done.get_json()["done_at"] is not None
    overdue = ref.get(f"/api/v1/follow-ups?agency_id={org['tanjabbar']}&overdue=true&as_of=2025-07-01").get_json()
    assert [f["action"] for f in overdue["items"]] == ["Laporan ke LAN", "Internalisasi nilai ASN"]
    assert all(f["overdue"] for f in overdue["items"]) and overdue["total"] == 2
    everything = ref.get(f"/api/v1/follow-ups?agency_id={org['tanjabbar']}&as_of=2025-07-01").get_json()
    assert [f["due"] for f in everything["items"]] == ["2025-02-28", "2025-03-31", "2025-06-30", "2026-12-31"]
    assert ref.get(url).get_json()[0]["action"] == "Di kabupaten lain"  # by due date, every owner
    reopened = ref.patch(f"/api/v1/follow-ups/{created[2].get_json()['id']}", json={"status": "open"},
                         headers={"If-Match": "*"})
    assert reopened.status_code == 409 and reopened.get_json()["allowed"] == []
    assert ref.patch(f"/api/v1/follow-ups/{first['id']}", json={"status": "done"}).status_code == 428
    owner = auth_header("operator", org["unit01"], sub="operator@unit01")
    progress = ref.patch(f"/api/v1/follow-ups/{first['id']}", json={"status": "in_progress", "note": "draf"},
                         headers={**owner, "If-Match": '"1"'})
    assert progress.status_code == 200 and progress.get_json()["history"][-1]["note"] == "draf"
    stranger = auth_header("operator", org["unit05"], sub="operator@unit05")
    assert ref.patch(f"/api/v1/follow-ups/{first['id']}", json={"status": "done"},
                     headers={**stranger, "If-Match": "*"}).status_code == 403
    assert ref.get(f"/api/v1/follow-ups/{first['id']}", headers=stranger).status_code == 403


def _leaves(figures, prefix=""):
    """Every number of a summary's figures, by path (the attendance rate is derived, not summed)."""
    if isinstance(figures, dict):
        return {k: v for key, value in figures.items() if key not in ("attendance_rate", "code", "name", "group")
                for k, v in _leaves(value, f"{prefix}{key}.").items()}
    if isinstance(figures, list):
        return {k: v for item in figures for k, v in _leaves(item, f"{prefix}{item.get('code')}.").items()}
    return {prefix.rstrip("."): figures}


def test_the_summary_rolls_up_and_adds_up(ref, org):
    regency_fgd = activity_in(ref, org, "in_progress")
    ref.post(f"/api/v1/activities/{regency_fgd['id']}/participants", json={"participants": people(org, range(1, 5))})
    unit_training = plan(ref, org["unit01"], kind="training", area="penguatan_akuntabilitas")
    ref.post(f"/api/v1/activities/{unit_training['id']}/participants", json={"participants": people(org, range(2, 4))})
    plan(ref, org["unit02"], area="penguatan_pengawasan", start="2024-05-01T08:00:00+07:00",
         end="2024-05-01T12:00:00+07:00")  # another year
    other = plan(ref, org["tanjabtim"])
    ref.post(f"/api/v1/activities/{other['id']}/participants", json={"participants": people(org, range(1, 2))})
    summary = ref.get(f"/api/v1/agencies/{org['tanjabbar']}/reform-summary?year=2025").get_json()
    assert summary["agencies_counted"] == 24
    assert summary["own"]["activities"]["by_status"]["in_progress"] == 1
    assert summary["rollup"]["activities"]["total"] == 2
    assert summary["rollup"]["participants"]["registered"] == 6
    assert summary["rollup"]["participation"]["registered"] == 7  # unit01 also went to Tanjabtim's activity
    assert summary["own"]["participation"]["registered"] == 0
    own, rolled = _leaves(summary["own"]), _leaves(summary["rollup"])
    children = [_leaves(child["rollup"]) for child in summary["children"]]
    assert len(children) == 23
    assert {key: own[key] + sum(child[key] for child in children) for key in rolled} == rolled
    unit = ref.get(f"/api/v1/agencies/{org['unit01']}/reform-summary?year=2025").get_json()
    assert unit["own"] == unit["rollup"] == next(c["rollup"] for c in summary["children"]
                                                 if c["agency"]["id"] == org["unit01"])
    assert ref.get(f"/api/v1/agencies/{org['tanjabbar']}/reform-summary").status_code == 422
    assert ref.get("/api/v1/agencies/nope/reform-summary?year=2025").status_code == 404


def test_activities_are_scoped_to_the_organisers_subtree(ref, org):
    tanjabtim = auth_header("operator", org["tanjabtim"], sub="operator@tanjabtim")
    refused = ref.post("/api/v1/activities", json={**FGD, "organiser_agency_id": org["tanjabbar"]}, headers=tanjabtim)
    assert refused.status_code == 403
    viewer = auth_header("viewer", org["tanjabbar"])
    assert ref.post("/api/v1/activities", json={**FGD, "organiser_agency_id": org["tanjabbar"]},
                    headers=viewer).status_code == 403
    mine = plan(ref, org["unit01"], headers=auth_header("operator", org["unit01"], sub="operator@unit01"))
    theirs = plan(ref, org["tanjabtim"], headers=tanjabtim)
    assert ref.get(f"/api/v1/activities/{theirs['id']}", headers=viewer).status_code == 403
    assert ref.get(f"/api/v1/activities/{mine['id']}", headers=viewer).status_code == 200
    for path in ("start", "cancel"):
        assert ref.post(f"/api/v1/activities/{theirs['id']}/{path}", json={"reason": "x"},
                        headers=viewer).status_code == 403
    listed = ref.get("/api/v1/activities?page_size=100", headers=viewer).get_json()
    assert theirs["id"] not in [a["id"] for a in listed["items"]] and mine["id"] in [a["id"] for a in listed["items"]]
    assert ref.get(f"/api/v1/activities?agency_id={org['tanjabtim']}", headers=viewer).status_code == 403
    assert ref.get(f"/api/v1/agencies/{org['tanjabtim']}/reform-summary?year=2025", headers=viewer).status_code == 403
    assert ref.get("/api/v1/activities/nope").status_code == 404


def test_the_list_filters_and_orders_by_start(ref, org):
    base = org["tanjabtim_unit"]
    early = plan(ref, base, start="2025-02-01T09:00:00+07:00", end="2025-02-01T12:00:00+07:00",
                 title="Sosialisasi zona integritas", kind="socialisation", area="penguatan_pengawasan")
    late = plan(ref, base, start="2025-09-01T09:00:00+08:00", end="2025-09-03T12:00:00+08:00",
                title="Pelatihan SAKIP", kind="training", area="penguatan_akuntabilitas")
    ref.post(f"/api/v1/activities/{late['id']}/participants", json={"participants": people(org, range(7, 8))})
    started(ref, late)

    def ids(query):
        response = ref.get(f"/api/v1/activities?agency_id={base}&{query}")
        assert response.status_code == 200, response.get_json()
        return [a["id"] for a in response.get_json()["items"]]

    assert ids("") == [early["id"], late["id"]]
    assert ids("order=desc") == [late["id"], early["id"]]
    assert ids("area=penguatan_pengawasan") == [early["id"]]
    assert ids("kind=training&status=in_progress") == [late["id"]]
    assert ids("from=2025-09-02") == [late["id"]]  # still taking place that day
    assert ids("to=2025-02-01") == [early["id"]]
    assert ids("q=zona") == [early["id"]]
    assert ids(f"participant_agency_id={org['unit07']}") == [late["id"]]
    assert ids("year=2024") == []
    assert ref.get(f"/api/v1/activities?agency_id={base}&from=2025-03-01&to=2025-02-01").status_code == 422
    assert ref.get("/api/v1/activities?area=nope").status_code == 422


def test_desks_registering_at_once_lose_nobody_and_admit_a_person_once(ref, org, reforms_app):
    """Eight desks register different people into one activity at the same moment (no If-Match: a concurrent
    registration is not their conflict), then eight register the same person: nobody is lost, nobody twice."""
    from concurrent.futures import ThreadPoolExecutor

    activity = plan(ref, org["tanjabbar"])
    url = f"/api/v1/activities/{activity['id']}/participants"
    admin = auth_header("admin")

    def register(n):
        client = reforms_app.test_client()
        return client.post(url, json={"participants": people(org, range(n, n + 1), prefix=f"Desk {n}")},
                           headers=admin).status_code

    with ThreadPoolExecutor(8) as pool:
        assert sorted(pool.map(register, range(1, 9))) == [201] * 8
    listed = ref.get(url).get_json()
    assert sorted(p["name"] for p in listed["items"]) == [f"Desk {n} {n:02d}" for n in range(1, 9)]
    assert listed["registered"] == 8 and listed["version"] == 9

    def same_person(_):
        client = reforms_app.test_client()
        return client.post(url, json={"participants": [{"agency_id": org["unit20"], "name": "Rina"}]},
                           headers=admin).status_code

    with ThreadPoolExecutor(8) as pool:
        assert sorted(pool.map(same_person, range(8))) == [201] + [409] * 7
    assert [p["name"] for p in ref.get(url).get_json()["items"]].count("Rina") == 1


def test_unknown_records_are_404_and_oversized_requests_422(ref, org):
    many = [{"agency_id": org["unit01"], "name": f"P{n}"} for n in range(501)]
    for method, path, body in (("post", "/api/v1/activities/nope/participants", {"participants": many[:1]}),
                               ("post", "/api/v1/activities/nope/attendance", {"attended": ["x"]}),
                               ("post", "/api/v1/activities/nope/start", None),
                               ("get", "/api/v1/activities/nope/follow-ups", None),
                               ("post", "/api/v1/activities/nope/follow-ups", {
                                   "action": "x", "owner_agency_id": org["unit01"], "due": "2025-01-01"}),
                               ("get", "/api/v1/follow-ups/nope", None),
                               ("get", "/api/v1/indicators/nope", None)):
        response = getattr(ref, method)(path, json=body)
        assert response.status_code == 404, (path, response.get_json())
        assert response.content_type == "application/problem+json"
    assert ref.patch("/api/v1/follow-ups/nope", json={"status": "done"}, headers={"If-Match": "*"}).status_code == 404
    activity = plan(ref, org["tanjabbar"])
    too_many = ref.post(f"/api/v1/activities/{activity['id']}/participants", json={"participants": many})
    assert too_many.status_code == 422 and "participants" in too_many.get_json()["errors"]
    assert ref.post(f"/api/v1/activities/{activity['id']}/participants", json={"participants": []}).status_code == 422
    long_title = ref.post("/api/v1/activities", json={**FGD, "organiser_agency_id": org["tanjabbar"], "title": "x" * 301})
    assert long_title.status_code == 422 and "title" in long_title.get_json()["errors"]
