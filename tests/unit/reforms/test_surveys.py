"""Work-culture surveys on the in-memory database: instruments and their versions, the phases' rules, one answer per
phase by registered participants only, results under the k rule, the closing event's aggregates, the culture index."""
from __future__ import annotations

import pytest

from shared.errors import Conflict, Forbidden, Invalid, NotFound
from services.reforms import queries
from services.reforms.commands.activities import complete_activity, start_activity
from services.reforms.commands.instruments import add_instrument, add_version, update_instrument
from services.reforms.commands.participants import register_participants
from services.reforms.commands.surveys import answer_survey, close_phase, create_survey, open_phase
from services.reforms.domain.instruments import BERAKHLAK, berakhlak_items
from tests.support.fakes import pending_events
from tests.unit.reforms.conftest import planned

ITEMS = berakhlak_items()
TINY = {"title": "Survei singkat", "description": None, "dimensions": [
    {"code": "disiplin", "label": "Disiplin", "items": [{"code": "D1", "text": "Saya datang tepat waktu.", "reverse": False},
                                                        {"code": "D2", "text": "Saya sering terlambat.", "reverse": True}]}]}


def nip(n: int) -> str:
    return f"19800101200501{n:04d}"


def uniform(value: int) -> dict:
    """Every BerAKHLAK item answered so that each scores `value` (reversed items answered the other way)."""
    return {item.code: 6 - value if item.reverse else value for item in ITEMS}


@pytest.fixture
def fgd(as_, org):
    """The FGD of unit01 with 8 leaders (NIP registered): units 01–06 one each, unit07 two."""
    activity = planned(as_(), org["unit01"])
    leaders = [{"agency_id": org[f"unit{n:02d}"], "name": f"Pimpinan {n:02d}", "position": "Kepala", "nip": nip(n)}
               for n in range(1, 7)]
    leaders += [{"agency_id": org["unit07"], "name": f"Staf {n}", "position": "Sekretaris", "nip": nip(n)}
                for n in (7, 8)]
    register_participants(as_(), activity["id"], leaders, None)
    return activity


def survey_of(as_, fgd, k=5) -> dict:
    return create_survey(as_("operator", "unit01"), fgd["id"], {"instrument_id": "berakhlak-1", "k": k})


def answer(as_, survey, phase, who: int, answers: dict) -> dict:
    return answer_survey(as_("viewer", "unit01", sub=nip(who)), survey["id"], phase, answers)


def test_berakhlak_is_built_in_with_seven_values_of_three_items(repo, as_):
    found = queries.instrument(as_.principal("viewer", "unit01"), repo, "berakhlak-1")
    assert [d["code"] for d in found["dimensions"]] == [code for code, _, _ in BERAKHLAK]
    assert all(len(d["items"]) == 3 and sum(i["reverse"] for i in d["items"]) == 1 for d in found["dimensions"])
    assert (found["revision"], found["in_use"]) == (1, False)


def test_admins_add_instruments_and_versions_and_a_version_in_use_never_changes(repo, as_, fgd):
    with pytest.raises(Forbidden):
        add_instrument(as_("operator", "unit01"), {"code": "disiplin", **TINY})
    first = add_instrument(as_(), {"code": "disiplin", **TINY})
    assert (first["id"], first["revision"]) == ("disiplin-1", 1)
    with pytest.raises(Conflict):
        add_instrument(as_(), {"code": "disiplin", **TINY})
    second = add_version(as_(), "disiplin", {**TINY, "title": "Survei singkat (revisi)"})
    assert (second["id"], second["revision"]) == ("disiplin-2", 2)
    assert update_instrument(as_(), "disiplin-1", {"title": "Baru"}, None)["title"] == "Baru"
    create_survey(as_("operator", "unit01"), fgd["id"], {"instrument_id": "disiplin-1", "k": 5})
    with pytest.raises(Conflict) as refused:
        update_instrument(as_(), "disiplin-1", {"title": "Lagi"}, None)
    assert refused.value.kind == "instrument-in-use"
    assert repo.instruments.get("disiplin-1")["title"] == "Baru"


def test_an_instrument_with_a_code_twice_is_invalid(as_):
    twice = {**TINY, "dimensions": [TINY["dimensions"][0], TINY["dimensions"][0]]}
    with pytest.raises(Invalid) as refused:
        add_instrument(as_(), {"code": "ganda", **twice})
    assert set(refused.value.errors) == {"dimensions.1.code", "dimensions.1.items.0.code", "dimensions.1.items.1.code"}


def test_one_survey_per_instrument_and_an_unknown_instrument(as_, fgd):
    survey_of(as_, fgd)
    with pytest.raises(Conflict):
        survey_of(as_, fgd)
    with pytest.raises(Invalid):
        create_survey(as_(), fgd["id"], {"instrument_id": "nope-1", "k": 5})


def test_the_phases_open_in_order(as_, fgd):
    survey = survey_of(as_, fgd)
    with pytest.raises(Conflict) as early:
        open_phase(as_(), survey["id"], "post")
    assert early.value.kind == "phase-order"  # the activity has not started
    open_phase(as_(), survey["id"], "pre")
    start_activity(as_(), fgd["id"], None)
    with pytest.raises(Conflict) as pre_open:
        open_phase(as_(), survey["id"], "post")
    assert pre_open.value.kind == "phase-order"
    with pytest.raises(Conflict) as again:
        open_phase(as_(), survey["id"], "pre")
    assert again.value.kind == "phase-state"
    close_phase(as_(), survey["id"], "pre")
    opened = open_phase(as_(), survey["id"], "post")
    assert (opened["pre"]["status"], opened["post"]["status"]) == ("closed", "open")
    with pytest.raises(Conflict):
        close_phase(as_(), survey["id"], "pre")


def test_pre_does_not_open_once_the_activity_is_completed(as_, fgd):
    survey = survey_of(as_, fgd)
    start_activity(as_(), fgd["id"], None)
    complete_activity(as_(), fgd["id"], "x", [], None)
    with pytest.raises(Conflict) as refused:
        open_phase(as_(), survey["id"], "pre")
    assert refused.value.kind == "phase-order"


def test_a_participant_answers_each_phase_once_and_no_one_else_answers(repo, as_, fgd):
    survey = survey_of(as_, fgd)
    with pytest.raises(Conflict) as not_open:
        answer(as_, survey, "pre", 1, uniform(3))
    assert not_open.value.kind == "phase-not-open"
    open_phase(as_(), survey["id"], "pre")
    receipt = answer(as_, survey, "pre", 1, uniform(3))
    assert (receipt["survey_id"], receipt["phase"]) == (survey["id"], "pre")
    with pytest.raises(Conflict) as twice:
        answer(as_, survey, "pre", 1, uniform(4))
    assert twice.value.kind == "already-answered"
    for role in ("admin", "operator", "evaluator"):  # an outsider of any role, even the organiser's operator
        with pytest.raises(Forbidden) as outsider:
            answer_survey(as_(role, "unit01" if role != "admin" else None, sub=nip(99)), survey["id"], "pre", uniform(3))
        assert outsider.value.kind == "not-participant"
    assert repo.answered(survey["id"], "pre") == 1 and repo.answers.count_documents({}) == 1


def test_answers_must_cover_every_item_with_1_to_5(as_, fgd):
    survey = survey_of(as_, fgd)
    open_phase(as_(), survey["id"], "pre")
    bad = {**uniform(3), "AK1": 6, "AD2": True, "KO1": "4", "XX9": 3}
    del bad["LO1"]
    with pytest.raises(Invalid) as refused:
        answer(as_, survey, "pre", 1, bad)
    assert set(refused.value.errors) == {"answers.AK1", "answers.AD2", "answers.KO1", "answers.XX9", "answers.LO1"}
    assert as_.repo.answered(survey["id"], "pre") == 0


def _answered_survey(as_, fgd, k, pre: dict[int, int], post: dict[int, int]) -> dict:
    survey = survey_of(as_, fgd, k)
    open_phase(as_(), survey["id"], "pre")
    for who, value in pre.items():
        answer(as_, survey, "pre", who, uniform(value))
    start_activity(as_(), fgd["id"], None)
    close_phase(as_(), survey["id"], "pre")
    open_phase(as_(), survey["id"], "post")
    for who, value in post.items():
        answer(as_, survey, "post", who, uniform(value))
    return survey


def test_results_and_the_k_rule_at_k_minus_one_and_k(repo, as_, fgd):
    # 6 answer pre (all 3 = 50), 5 answer post (4 = 75, one 5 = 100); pairs: 5
    survey = _answered_survey(as_, fgd, 6, pre={n: 3 for n in range(1, 7)}, post={1: 4, 2: 4, 3: 4, 4: 4, 5: 5})
    results = queries.survey_results(as_.principal("viewer", "unit01"), repo, survey["id"])
    overall = next(d for d in results["dimensions"] if d["code"] == "overall")
    assert overall["pre"] == {"respondents": 6, "shown": True, "mean": 50.0}  # k = 6: shown
    assert overall["post"] == {"respondents": 5, "shown": False, "mean": None}  # k − 1: too few, no number
    assert overall["change"] == {"pairs": 5, "shown": False, "mean": None, "low": None, "high": None}
    assert results["phases"] == {"pre": {"status": "closed", "respondents": 6}, "post": {"status": "open",
                                                                                        "respondents": 5}}


def test_the_paired_change_counts_only_those_who_answered_both(repo, as_, fgd):
    # pairs 1–5: +25, +25, +25, +25, +50 → mean 30, sd √125 = 11.18, t(4) = 2.776 → ± 13.88
    survey = _answered_survey(as_, fgd, 5, pre={n: 3 for n in range(1, 7)}, post={1: 4, 2: 4, 3: 4, 4: 4, 5: 5, 8: 1})
    overall = next(d for d in queries.survey_results(as_.principal(), repo, survey["id"])["dimensions"]
                   if d["code"] == "overall")
    assert overall["post"] == {"respondents": 6, "shown": True, "mean": round((75 * 4 + 100 + 0) / 6, 2)}
    assert overall["change"] == {"pairs": 5, "shown": True, "mean": 30.0, "low": 16.12, "high": 43.88}


def test_by_agency_each_group_under_the_k_rule(repo, as_, org, fgd):
    survey = _answered_survey(as_, fgd, 2, pre={7: 3, 8: 5, 1: 3}, post={7: 4, 8: 4, 1: 5})
    rows = {r["agency_id"]: r for r in queries.survey_results(as_.principal(), repo, survey["id"])["by_agency"]}
    assert set(rows) == {org["unit01"], org["unit07"]}
    unit07 = next(d for d in rows[org["unit07"]]["dimensions"] if d["code"] == "overall")
    assert unit07["pre"] == {"respondents": 2, "shown": True, "mean": 75.0}
    alone = next(d for d in rows[org["unit01"]]["dimensions"] if d["code"] == "overall")
    assert alone["post"] == {"respondents": 1, "shown": False, "mean": None}
    assert rows[org["unit07"]]["agency"]["id"] == org["unit07"]


def test_closing_post_tells_its_aggregates_and_sets_the_culture_index(repo, as_, org, fgd):
    survey = _answered_survey(as_, fgd, 5, pre={n: 3 for n in range(1, 7)}, post={n: 4 for n in range(1, 9)})
    index_before = queries.culture_index(as_.principal("viewer", "tanjabbar"), repo, org["tanjabbar"], 2025)
    assert index_before["index"] is None and index_before["survey"] is None
    closed = close_phase(as_("operator", "unit01"), survey["id"], "post")
    assert closed["post"]["status"] == "closed"
    event = [e for e in pending_events(repo.surveys) if e.type == "kinerja.survey.closed.v1"][-1]
    assert (event.data["phase"], event.data["respondents"]) == ("post", 8)
    rollup = {r["agency_id"]: r for r in event.data["rollup"]}
    assert rollup[org["tanjabbar"]] == {"agency_id": org["tanjabbar"], "respondents": 8, "shown": True,
                                        "means": {**{code: 75.0 for code, _, _ in BERAKHLAK}, "overall": 75.0}}
    assert rollup[org["unit07"]] == {"agency_id": org["unit07"], "respondents": 2, "shown": False, "means": None}
    assert "items" not in str(event.data) and nip(1) not in str(event.data)
    index = queries.culture_index(as_.principal("viewer", "tanjabbar"), repo, org["tanjabbar"], 2025)
    assert (index["index"], index["respondents"], index["survey"]["id"]) == (75.0, 8, survey["id"])
    small = queries.culture_index(as_.principal(), repo, org["unit07"], 2025)
    assert small["index"] is None  # two people: too few to show
    with pytest.raises(Conflict) as late:
        answer(as_, survey, "post", 7, uniform(5))
    assert late.value.kind == "phase-not-open"


def test_a_close_interrupted_half_way_is_finished_by_closing_again(repo, as_, fgd):
    survey = survey_of(as_, fgd)
    open_phase(as_(), survey["id"], "pre")
    repo.surveys.collection.update_one({"_id": survey["id"]}, {"$set": {"pre.status": "closing"}})
    with pytest.raises(Conflict):
        answer(as_, survey, "pre", 1, uniform(3))
    assert close_phase(as_(), survey["id"], "pre")["pre"]["status"] == "closed"
    assert [e.type for e in pending_events(repo.surveys)].count("kinerja.survey.closed.v1") == 1


def test_survey_reads_are_the_organisers_and_name_no_one(repo, as_, org, fgd):
    survey = _answered_survey(as_, fgd, 5, pre={1: 3}, post={})
    read = queries.readable_survey(as_.principal("viewer", "unit01"), repo, survey["id"])
    assert "salt" not in read and read["answered"] == {"pre": 1, "post": 0}
    with pytest.raises(Forbidden):
        queries.survey_results(as_.principal("viewer", "unit02"), repo, survey["id"])
    with pytest.raises(NotFound):
        queries.readable_survey(as_.principal(), repo, "nope")


def test_the_roster_follows_registrations_and_a_missing_entry_falls_back_to_the_activity(repo, as_, fgd):
    from services.reforms.commands.participants import remove_participant

    survey = survey_of(as_, fgd)
    open_phase(as_(), survey["id"], "pre")
    withdrawn = next(p for p in repo.activities.get(fgd["id"])["participants"] if p["nip"] == nip(2))
    remove_participant(as_(), fgd["id"], withdrawn["id"], None)
    with pytest.raises(Forbidden):  # withdrawn: out of the roster and of the activity
        answer(as_, survey, "pre", 2, uniform(3))
    repo.respondents.delete_many({})  # e.g. registered before the roster existed
    assert answer(as_, survey, "pre", 3, uniform(3))["phase"] == "pre"
    assert repo.respondents.count_documents({}) == 1  # found in the activity, and remembered
