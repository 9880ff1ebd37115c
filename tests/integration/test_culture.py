"""Work culture over HTTP: the seed's FGD with a BerAKHLAK survey (22 leaders before, 20 after), the refusals a
respondent meets (not a participant: 403; a second answer: 409; a bad answer: 422 naming the item), the results
under the k rule, the culture index and the closing event's aggregates; no route of any role reads an answer."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from services.reforms.domain.instruments import BERAKHLAK
from tests.conftest import auth_header
from tests.integration.reforms_support import (indicators, org, pending_events, plan, ref, reforms_app,  # noqa: F401
                                               reforms_registry, reforms_repo, reforms_settings)
from tests.unit.reforms.test_matrix import CALLERS

DIMENSIONS = [code for code, _, _ in BERAKHLAK]
BERAKHLAK_AGAIN = {"title": "BerAKHLAK (revisi)", "dimensions": [
    {"code": code, "label": label, "items": [{"code": c, "text": t, "reverse": r} for c, t, r in items]}
    for code, label, items in BERAKHLAK]}
ITEM_CODES = {code for _, _, items in BERAKHLAK for code, _, _ in items}


def nip(n: int) -> str:
    return f"19750101200003{n:04d}"


def answers(scores: dict[str, int], default: int = 3) -> dict:
    """Every item answered so that a dimension's items all score `scores[dimension]` (reversed ones answered the
    other way round)."""
    return {code: 6 - scores.get(dimension, default) if reverse else scores.get(dimension, default)
            for dimension, _, items in BERAKHLAK for code, _, reverse in items}


def as_respondent(n: int, agency_id: str) -> dict:
    return auth_header("viewer", agency_id, sub=nip(n))


def leaders(org, count=22) -> list[dict]:
    return [{"agency_id": org[f"unit{n:02d}"], "name": f"Pimpinan SKPD {n:02d}", "position": "Kepala SKPD",
             "nip": nip(n)} for n in range(1, count + 1)]


def seed_fgd(ref, org) -> tuple[dict, dict]:
    """The regency's FGD with the 22 leaders registered and a BerAKHLAK survey attached."""
    fgd = plan(ref, org["tanjabbar"])
    assert ref.post(f"/api/v1/activities/{fgd['id']}/participants",
                    json={"participants": leaders(org)}).status_code == 201
    response = ref.post(f"/api/v1/activities/{fgd['id']}/surveys", json={"instrument_id": "berakhlak-1"})
    assert response.status_code == 201, response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/surveys/{response.get_json()['id']}")
    return fgd, response.get_json()


def answer(ref, org, survey, phase, n, body):
    return ref.post(f"/api/v1/surveys/{survey['id']}/phases/{phase}/answers", json={"answers": body},
                    headers=as_respondent(n, org[f"unit{n:02d}"]))


def run_survey(ref, org, fgd, survey, pre_scores, post_scores, post_count=20):
    """Pre: all 22; post: the first `post_count` (the others did not answer)."""
    base = f"/api/v1/surveys/{survey['id']}/phases"
    assert ref.post(f"{base}/pre/open").status_code == 200
    for n in range(1, 23):
        assert answer(ref, org, survey, "pre", n, answers(pre_scores)).status_code == 201
    assert ref.post(f"/api/v1/activities/{fgd['id']}/start").status_code == 200
    assert ref.post(f"{base}/pre/close").status_code == 200
    assert ref.post(f"{base}/post/open").status_code == 200
    for n in range(1, post_count + 1):
        assert answer(ref, org, survey, "post", n, answers(post_scores)).status_code == 201
    assert ref.post(f"/api/v1/activities/{fgd['id']}/complete", json={"summary": "Sepakat"}).status_code == 200


def test_the_seed_fgd_measured_before_and_after(ref, org, reforms_repo):
    fgd, survey = seed_fgd(ref, org)
    run_survey(ref, org, fgd, survey, pre_scores={"akuntabel": 2, "adaptif": 2},
               post_scores={"akuntabel": 4, "adaptif": 5})
    closed = ref.post(f"/api/v1/surveys/{survey['id']}/phases/post/close")
    assert closed.status_code == 200 and closed.get_json()["post"]["status"] == "closed"
    assert closed.get_json()["answered"] == {"pre": 22, "post": 20}

    results = ref.get(f"/api/v1/surveys/{survey['id']}/results").get_json()
    rows = {row["code"]: row for row in results["dimensions"]}
    assert list(rows) == [*DIMENSIONS, "overall"]
    assert rows["akuntabel"]["pre"] == {"respondents": 22, "shown": True, "mean": 25.0}
    assert rows["akuntabel"]["post"] == {"respondents": 20, "shown": True, "mean": 75.0}
    assert rows["akuntabel"]["change"] == {"pairs": 20, "shown": True, "mean": 50.0, "low": 50.0, "high": 50.0}
    assert rows["adaptif"]["change"]["mean"] == 75.0
    assert rows["kompeten"]["change"] == {"pairs": 20, "shown": True, "mean": 0.0, "low": 0.0, "high": 0.0}
    assert rows["overall"]["pre"]["mean"] == round((5 * 50 + 25 + 25) / 7, 2)
    assert rows["overall"]["post"]["mean"] == round((5 * 50 + 75 + 100) / 7, 2)
    # one leader per work unit: every agency's group is too small to show
    assert len(results["by_agency"]) == 22
    assert all(not d["pre"]["shown"] and d["pre"]["mean"] is None for r in results["by_agency"] for d in r["dimensions"])

    index = ref.get(f"/api/v1/agencies/{org['tanjabbar']}/culture-index?year=2025").get_json()
    assert (index["index"], index["respondents"], index["survey"]["id"]) == (
        round((5 * 50 + 75 + 100) / 7, 2), 20, survey["id"])
    assert (index["dimensions"]["akuntabel"], index["dimensions"]["adaptif"]) == (75.0, 100.0)
    assert ref.get(f"/api/v1/agencies/{org['unit01']}/culture-index?year=2025").get_json()["index"] is None

    [event] = [e for e in pending_events(reforms_repo.surveys.collection, survey["id"])
               if e["type"] == "kinerja.survey.closed.v1" and e["data"]["phase"] == "post"]
    rollup = {row["agency_id"]: row for row in event["data"]["rollup"]}
    assert (rollup[org["tanjabbar"]]["respondents"], rollup[org["jambi"]]["respondents"]) == (20, 20)
    assert rollup[org["tanjabbar"]]["means"]["overall"] == index["index"]
    assert rollup[org["unit01"]] == {"agency_id": org["unit01"], "respondents": 1, "shown": False, "means": None}

    used = ref.patch("/api/v1/instruments/berakhlak-1", json={"title": "Lain"}, headers={"If-Match": "*"})
    assert (used.status_code, used.get_json()["type"].rsplit("/", 1)[1]) == (409, "instrument-in-use")


def test_a_respondent_answers_once_and_only_a_participant_answers(ref, org):
    _, survey = seed_fgd(ref, org)
    not_open = answer(ref, org, survey, "pre", 1, answers({}))
    assert (not_open.status_code, not_open.get_json()["type"].rsplit("/", 1)[1]) == (409, "phase-not-open")
    assert ref.post(f"/api/v1/surveys/{survey['id']}/phases/pre/open").status_code == 200
    assert answer(ref, org, survey, "pre", 1, answers({})).status_code == 201
    again = answer(ref, org, survey, "pre", 1, answers({"akuntabel": 5}))
    assert (again.status_code, again.get_json()["type"].rsplit("/", 1)[1]) == (409, "already-answered")
    assert again.content_type == "application/problem+json"
    outsider = ref.post(f"/api/v1/surveys/{survey['id']}/phases/pre/answers", json={"answers": answers({})},
                        headers=auth_header("operator", org["tanjabbar"], sub=nip(99)))
    assert (outsider.status_code, outsider.get_json()["type"].rsplit("/", 1)[1]) == (403, "not-participant")
    bad = answer(ref, org, survey, "pre", 2, {**answers({}), "AK1": 0, "BP2": "4"})
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) == {"answers.AK1", "answers.BP2"}
    assert ref.post(f"/api/v1/surveys/{survey['id']}/phases/middle/answers",
                    json={"answers": answers({})}).status_code == 404
    assert ref.get(f"/api/v1/surveys/{survey['id']}").get_json()["answered"] == {"pre": 1, "post": 0}


def test_the_k_rule_at_k_minus_one_and_k_over_http(ref, org):
    fgd, survey = seed_fgd(ref, org)
    base = f"/api/v1/surveys/{survey['id']}/phases"
    assert ref.post(f"{base}/pre/open").status_code == 200
    for n in range(1, 5):
        assert answer(ref, org, survey, "pre", n, answers({})).status_code == 201
    four = ref.get(f"/api/v1/surveys/{survey['id']}/results").get_json()["dimensions"][-1]["pre"]
    assert four == {"respondents": 4, "shown": False, "mean": None}
    assert answer(ref, org, survey, "pre", 5, answers({})).status_code == 201
    five = ref.get(f"/api/v1/surveys/{survey['id']}/results").get_json()["dimensions"][-1]["pre"]
    assert five == {"respondents": 5, "shown": True, "mean": 50.0}


def test_answers_racing_a_close_are_all_in_its_aggregates_or_refused(ref, org, reforms_app, reforms_repo):
    fgd, survey = seed_fgd(ref, org)
    base = f"/api/v1/surveys/{survey['id']}/phases"
    assert ref.post(f"{base}/pre/open").status_code == 200

    def respond(n):
        return answer(reforms_app.test_client(), org, survey, "pre", n, answers({})).status_code

    def close():
        client = reforms_app.test_client()
        return client.post(f"{base}/pre/close", headers=auth_header("admin")).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        answered = [pool.submit(respond, n) for n in range(1, 12)]
        closing = pool.submit(close)
        answered += [pool.submit(respond, n) for n in range(12, 23)]
    statuses = [f.result() for f in answered]
    assert closing.result() == 200 and set(statuses) <= {201, 409}
    [event] = [e for e in pending_events(reforms_repo.surveys.collection, survey["id"])
               if e["type"] == "kinerja.survey.closed.v1"]
    assert event["data"]["respondents"] == statuses.count(201) == reforms_repo.answers.count_documents(
        {"survey_id": survey["id"]})


def _json_values(value):
    """Every dict anywhere in a JSON document."""
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from _json_values(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _json_values(inner)


def test_no_route_of_any_role_reads_anyones_answers(ref, org, reforms_app, reforms_repo, indicators):
    """Every GET route of the service, with every id this survey knows, by every kind of caller: no answer set (item
    codes with values), no score of a person and no respondent key in any body."""
    fgd, survey = seed_fgd(ref, org)
    run_survey(ref, org, fgd, survey, pre_scores={"akuntabel": 2}, post_scores={"akuntabel": 4}, post_count=6)
    assert ref.post(f"/api/v1/surveys/{survey['id']}/phases/post/close").status_code == 200
    keys = {doc["respondent"] for doc in reforms_repo.answers.find({"survey_id": survey["id"]})}
    participant = ref.get(f"/api/v1/activities/{fgd['id']}/participants").get_json()["items"][0]["id"]
    follow_up = ref.post(f"/api/v1/activities/{fgd['id']}/follow-ups", json={
        "action": "Rencana aksi", "owner_agency_id": org["unit01"], "due": "2025-03-31"}).get_json()["id"]
    commitment = ref.post(f"/api/v1/activities/{fgd['id']}/commitments", json={
        "participant_id": participant, "title": "Aksi", "milestones": [{"title": "Tahap 1", "due": "2025-03-31"}]})
    values = {"commitment_id": commitment.get_json()["id"], "follow_up_id": follow_up, "indicator_id": indicators.define(org["tanjabbar"])["id"], "activity_id": fgd["id"], "survey_id": survey["id"], "instrument_id": "berakhlak-1",
              "agency_id": org["tanjabbar"], "participant_id": participant, "phase": "pre", "code": "berakhlak"}
    queries = "?year=2025"
    walked = 0
    for rule in reforms_app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.rule.startswith("/api/") or "openapi" in rule.rule:
            continue  # (the OpenAPI document's example answer is no one's)
        missing = set(rule.arguments) - set(values)
        assert not missing, f"{rule.rule}: give the walk a value for {missing}"
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<{name}>", values[name])
        for caller, (role, home) in CALLERS.items():
            response = ref.get(path + queries, headers=auth_header(role, org[home] if home else "*"))
            if response.status_code != 200 or not response.is_json:
                continue
            walked += 1
            body = response.get_json()
            text = json.dumps(body)
            assert not any(key in text for key in keys), f"{path} ({caller}) shows a respondent key"
            for found in _json_values(body):
                assert not (set(found) & ITEM_CODES), f"{path} ({caller}) shows an answer set"
                assert "scores" not in found and "respondent" not in found, f"{path} ({caller})"
    assert walked >= 40  # the walk did read: every survey route by its readers, the lists, the reference data


@pytest.mark.parametrize("body, field", [
    ({"code": "Bad Code", "title": "x", "dimensions": [{"code": "a_b", "label": "A", "items": [{"code": "A1",
                                                                                               "text": "t"}]}]}, "code"),
    ({"code": "ok_code", "title": "x", "dimensions": []}, "dimensions"),
    ({"code": "ok_code", "title": "x", "dimensions": [{"code": "a_b", "label": "A", "items": []}]}, "dimensions"),
    ({"code": "ok_code", "title": "x", "dimensions": [{"code": "a_b", "label": "A", "items": [
        {"code": "A1", "text": "t", "reverse": 0}]}]}, "dimensions"),  # a boolean, not 0 (schemathesis found it)
])
def test_a_bad_instrument_is_422_naming_the_field(ref, body, field):
    response = ref.post("/api/v1/instruments", json=body)
    assert response.status_code == 422 and field in response.get_json()["errors"]


def test_change_commitments_and_their_overdue_milestones(ref, org):
    fgd, _ = seed_fgd(ref, org)
    assert ref.post(f"/api/v1/activities/{fgd['id']}/start").status_code == 200
    people = {p["nip"]: p["id"] for p in ref.get(f"/api/v1/activities/{fgd['id']}/participants").get_json()["items"]}
    made = ref.post(f"/api/v1/activities/{fgd['id']}/commitments", headers=as_respondent(1, org["unit01"]), json={
        "participant_id": people[nip(1)], "title": "Perizinan satu hari kerja",
        "mentor": {"name": "Dr. Basseng, M.Ed", "position": "LAN"},
        "milestones": [{"title": "SOP disahkan", "due": "2025-03-31"}, {"title": "Layanan berjalan", "due": "2025-06-30"}]})
    assert made.status_code == 201, made.get_json()
    commitment = made.get_json()
    assert made.headers["Location"].endswith(f"/api/v1/commitments/{commitment['id']}")
    assert "participant_nip" not in commitment
    other = ref.post(f"/api/v1/activities/{fgd['id']}/commitments",
                     headers=auth_header("operator", org["unit05"]), json={
                         "participant_id": people[nip(2)], "title": "x", "milestones": [{"title": "y", "due": "2025-04-30"}]})
    assert other.status_code == 403 and other.content_type == "application/problem+json"
    first = commitment["milestones"][0]["id"]
    done = ref.patch(f"/api/v1/commitments/{commitment['id']}/milestones/{first}",
                     headers={**as_respondent(1, org["unit01"]), "If-Match": made.headers["ETag"]},
                     json={"status": "done", "evidence": [{"title": "SOP", "link": "https://example.org/sop.pdf"}]})
    assert done.status_code == 200, done.get_json()
    assert (done.get_json()["status"], done.get_json()["next_due"]) == ("in_progress", "2025-06-30")
    stale = ref.patch(f"/api/v1/commitments/{commitment['id']}/milestones/{first}", json={"note": "x"},
                      headers={"If-Match": made.headers["ETag"]})
    assert stale.status_code == 412
    bad = ref.patch(f"/api/v1/commitments/{commitment['id']}/milestones/{first}", json={"evidence": [
        {"title": "x", "link": "javascript:alert(1)"}]}, headers={"If-Match": "*"})
    assert bad.status_code == 422
    overdue = ref.get(f"/api/v1/follow-ups?agency_id={org['tanjabbar']}&overdue=true&as_of=2025-07-01").get_json()
    assert [(i["type"], i["id"], i["due"]) for i in overdue["items"]] == [
        ("milestone", commitment["milestones"][1]["id"], "2025-06-30")]
    assert (overdue["items"][0]["commitment_id"], overdue["items"][0]["participant_name"]) == (
        commitment["id"], "Pimpinan SKPD 01")
    listed = ref.get(f"/api/v1/commitments?agency_id={org['tanjabbar']}&overdue=true&as_of=2025-07-01").get_json()
    assert [c["id"] for c in listed["items"]] == [commitment["id"]] and listed["total"] == 1
    assert [c["id"] for c in ref.get(f"/api/v1/activities/{fgd['id']}/commitments").get_json()] == [commitment["id"]]
