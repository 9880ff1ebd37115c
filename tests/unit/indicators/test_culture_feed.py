"""Closed work-culture surveys feeding indicators, on fakes: the post index of the indicator's agency (overall or a
dimension) as its yearly realisation, once per survey however often delivered, the survey closed last winning, a
group too small to show feeding nothing, and a value kept pending under a lock going through when it is unlocked."""
from __future__ import annotations

import uuid

import pytest

from shared.contracts.indicators import PERIOD_UNLOCKED
from shared.contracts.reforms import SURVEY_CLOSED
from shared.errors import Invalid
from shared.events.envelope import Event
from services.indicators.commands.indicators import update_indicator
from services.indicators.commands.locks import lock_period, unlock_period
from services.indicators.consumers import build_registry
from tests.support.fakes import pending_events
from tests.support.pump import deliver
from tests.unit.indicators.conftest import indicator_of

BERAKHLAK = {"instrument": "berakhlak", "dimension": None}


@pytest.fixture
def registry(repo):
    return build_registry(repo)


def closed(rollup: list[dict], *, phase="post", closed_at="2025-02-06T10:00:00+00:00", instrument="berakhlak",
           survey_id=None) -> Event:
    survey_id = survey_id or uuid.uuid4().hex
    closing = {"status": "closed", "opened_at": "2025-02-01T00:00:00+00:00", "closed_at": closed_at}
    survey = {"id": survey_id, "activity_id": "a", "organiser_agency_id": "o", "activity_year": 2025,
              "instrument_id": f"{instrument}-1", "instrument_code": instrument, "k": 5,
              "pre": {**closing, "closed_at": "2025-01-30T00:00:00+00:00"},
              "post": closing if phase == "post" else {"status": "scheduled", "opened_at": None, "closed_at": None}}
    event = SURVEY_CLOSED.build(source="reforms", subject=survey_id, sequence=5,
                                data={"survey": survey, "phase": phase, "respondents": 20, "dimensions": [],
                                      "rollup": rollup})
    return Event.from_dict(event.to_dict())


def shown(agency_id: str, overall: float, akuntabel: float = 50.0, respondents: int = 20) -> dict:
    return {"agency_id": agency_id, "respondents": respondents, "shown": True,
            "means": {"akuntabel": akuntabel, "overall": overall}}


def test_the_post_index_feeds_its_agencys_indicator_once(repo, tree, as_, registry):
    overall = indicator_of(as_(), tree["tanjabbar"], code="IBK", unit="indeks", fed_by_culture=BERAKHLAK)
    dimension = indicator_of(as_(), tree["tanjabbar"], code="IBK-AK", unit="indeks",
                             fed_by_culture={"instrument": "berakhlak", "dimension": "akuntabel"})
    elsewhere = indicator_of(as_(), tree["pendidikan"], code="IBK", unit="indeks", fed_by_culture=BERAKHLAK)
    event = closed([shown(tree["tanjabbar"], 72.5, 80.25),
                    {"agency_id": tree["pendidikan"], "respondents": 2, "shown": False, "means": None}])
    deliver(registry, [event])
    deliver(registry, [event])  # redelivered
    fed = repo.realisations.get(f"{overall['id']}:2025")
    assert (fed["value"], fed["status"], fed["source"], fed["submitted_by"]) == (72.5, "submitted", "reforms",
                                                                                  "system:reforms")
    assert repo.realisations.get(f"{dimension['id']}:2025")["value"] == 80.25
    assert repo.realisations.get(f"{elsewhere['id']}:2025") is None  # two people: too few to show
    submitted = [e for e in pending_events(repo.realisations) if e.subject == f"{overall['id']}:2025"]
    assert [e.type for e in submitted] == ["kinerja.realisation.submitted.v1"]


def test_a_pre_phase_and_another_instrument_feed_nothing(repo, tree, as_, registry):
    fed = indicator_of(as_(), tree["tanjabbar"], code="IBK", unit="indeks", fed_by_culture=BERAKHLAK)
    deliver(registry, [closed([shown(tree["tanjabbar"], 60)], phase="pre"),
                       closed([shown(tree["tanjabbar"], 60)], instrument="disiplin")])
    assert repo.realisations.get(f"{fed['id']}:2025") is None


def test_the_survey_closed_last_gives_the_value_whatever_the_delivery_order(repo, tree, as_, registry):
    fed = indicator_of(as_(), tree["tanjabbar"], code="IBK", unit="indeks", fed_by_culture=BERAKHLAK)
    later = closed([shown(tree["tanjabbar"], 81)], closed_at="2025-11-01T00:00:00+00:00")
    earlier = closed([shown(tree["tanjabbar"], 64)], closed_at="2025-02-06T00:00:00+00:00")
    deliver(registry, [later, earlier, later])
    assert repo.realisations.get(f"{fed['id']}:2025")["value"] == 81


def test_a_value_pending_under_a_lock_goes_through_when_the_year_is_unlocked(repo, tree, as_, registry):
    fed = indicator_of(as_(), tree["tanjabbar"], code="IBK", unit="indeks", fed_by_culture=BERAKHLAK)
    lock = lock_period(as_(), tree["tanjabbar"], "2025", "LKjIP")
    deliver(registry, [closed([shown(tree["tanjabbar"], 70)])])
    held = repo.realisations.get(f"{fed['id']}:2025")
    assert (held["value"], held["pending_count"]["value"]) == (None, 70)
    unlocked = unlock_period(as_(), lock["id"], "revisi")
    [event] = [e for e in pending_events(repo.locks) if e.type == PERIOD_UNLOCKED.type and e.sequence == unlocked["version"]]
    deliver(registry, [event])
    applied = repo.realisations.get(f"{fed['id']}:2025")
    assert (applied["value"], applied["status"], "pending_count" in applied) == (70, "submitted", False)


def test_a_culture_feed_is_yearly_and_not_beside_an_activity_count(tree, as_):
    with pytest.raises(Invalid) as quarterly:
        indicator_of(as_(), tree["tanjabbar"], code="Q", frequency="quarterly", fed_by_culture=BERAKHLAK)
    assert list(quarterly.value.errors) == ["fed_by_culture"]
    counted = indicator_of(as_(), tree["tanjabbar"], code="C", fed_by_reforms=[])
    with pytest.raises(Invalid):
        update_indicator(as_(), counted["id"], {"fed_by_culture": BERAKHLAK}, None)
