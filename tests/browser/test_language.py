"""Bahasa Indonesia by default, English as the second language: the switch changes words and number formats and is
remembered; no English text is left on any view of the Indonesian page."""
from __future__ import annotations

from babel.numbers import format_decimal
from playwright.sync_api import expect

from shared.messages import labels
from tests.browser.support import CATALOGUES, api_get, num, open_as, ready, shot, tab, token

ALL_VIEWS = ("overview", "scorecard", "entry", "queue", "planning", "activities", "reform", "culture", "quality", "admin")


def english_only() -> set[str]:
    """Every English sentence of the page's catalogues whose Indonesian differs (two words or more: a lone word such
    as a code's name can be the same in both and in the data)."""
    pairs = [*((CATALOGUES["en"][k], CATALOGUES["id"][k]) for k in CATALOGUES["en"]),
             *((text, labels("id")[k]) for k, text in labels("en").items())]
    return {en.split("{")[0].strip() for en, id_ in pairs if en != id_ and len(en.split("{")[0].split()) >= 2}


def test_the_language_switch_changes_words_and_numbers_and_is_remembered(stack, demo, dashboard, page):
    regency = demo["regency"]["id"]
    card = api_get(stack, "indicators", f"/api/v1/agencies/{regency}/scorecard?period=2025")
    open_as(page, dashboard, token(stack, "viewer", regency, "bupati@tanjabbar"))
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("#tab-overview")).to_have_text("Ringkasan")
    expect(page.locator("#own-score")).to_have_text(num(card["own"]["score"]))
    page.select_option("#language", "en")
    expect(page.locator("#tab-overview")).to_have_text("Overview")
    ready(page)
    expect(page.locator("#own-score")).to_have_text(format_decimal(card["own"]["score"], format="#,##0.##", locale="en_GB"))
    expect(page.locator("#whoami")).to_have_text("bupati@tanjabbar · Viewer")
    shot(page, "overview-english")
    page.reload()  # remembered
    ready(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#tab-scorecard")).to_have_text("Scorecard")
    expect(page.locator("label", has=page.locator("#period"))).to_have_text("Period")
    page.select_option("#language", "id")
    expect(page.locator("#tab-overview")).to_have_text("Ringkasan")
    expect(page.locator("html")).to_have_attribute("lang", "id")


def test_no_english_is_left_on_any_view_in_indonesian(stack, demo, dashboard, page):
    english = english_only()
    assert "Save draft" in english and "Data entry" in english  # the list is the real one
    open_as(page, dashboard, token(stack, "admin", "*", "admin@kemenpan"), agency=demo["regency"]["id"])
    for view in ALL_VIEWS:
        tab(page, view)
        if view == "entry":
            page.locator("#entries button.edit").first.click()
        shown = page.locator("body").inner_text()
        left = sorted(text for text in english if text in shown)
        assert left == [], f"{view}: English on the Indonesian page: {left}"
