"""WCAG 2.1 AA in the browser: axe-core (served by our dashboard server, like Chart.js) finds no serious or
critical violation on any view, with a form open or not, nor on the sign-in screen; the tabs are ARIA tabs moved
by the arrow keys; the drill-down works with the keyboard alone and moves the focus to the new view; the working
views fit a phone."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.support import axe_violations, fresh_indicator, open_as, ready, shot, tab, token
from tests.support.kafka_tools import unique

ALL_VIEWS = ("overview", "scorecard", "entry", "queue", "planning", "activities", "reform", "culture", "quality", "admin")


def clean(page, dashboard, where: str) -> None:
    found = axe_violations(page, dashboard)
    assert found == [], f"{where}: " + "; ".join(f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in found)


def test_axe_finds_no_serious_violation_on_any_view(stack, demo, dashboard, page):
    regency = demo["regency"]["id"]
    open_as(page, dashboard, token(stack, "admin", "*", "admin@kemenpan"), agency=regency)
    for view in ALL_VIEWS:
        tab(page, view)
        clean(page, dashboard, view)
    tab(page, "entry")  # with the editor open
    page.locator("#entries button.edit").first.click()
    clean(page, dashboard, "entry with its editor")
    tab(page, "activities")  # with an activity open and the planning form unfolded
    page.locator("#my-activities button.open").first.click()
    expect(page.locator("#activity-title")).to_be_focused()
    page.click("#plan-panel summary")
    clean(page, dashboard, "activities with an activity open")


def test_axe_finds_no_serious_violation_on_the_sign_in_screen_nor_in_english(stack, demo, dashboard, page):
    page.goto(f"{dashboard}/")
    expect(page.locator("#signin")).to_be_visible()
    clean(page, dashboard, "sign-in")
    open_as(page, dashboard, token(stack, "viewer", demo["regency"]["id"], "bupati@tanjabbar"))
    page.select_option("#language", "en")
    expect(page.locator("#tab-overview")).to_have_text("Overview")
    ready(page)
    clean(page, dashboard, "overview in English")
    page.select_option("#language", "id")


def test_the_tabs_are_aria_tabs_moved_by_the_arrow_keys(stack, demo, dashboard, page):
    open_as(page, dashboard, token(stack, "viewer", demo["regency"]["id"], "bupati@tanjabbar"))
    expect(page.locator("#tabs")).to_have_attribute("role", "tablist")
    tabs = page.locator("#tabs [role=tab]")
    assert tabs.evaluate_all("t => t.map(x => x.dataset.view)") == ["overview", "scorecard", "reform", "culture", "quality"]
    assert tabs.evaluate_all("t => t.map(x => x.tabIndex)") == [0, -1, -1, -1, -1]  # one tab stop for the list
    page.focus("#tab-overview")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#tab-scorecard")).to_be_focused()
    expect(page.locator("#tab-scorecard")).to_have_attribute("aria-selected", "true")
    ready(page, "scorecard")
    expect(page.locator("#view")).to_have_attribute("aria-labelledby", "tab-scorecard")
    page.keyboard.press("End")
    expect(page.locator("#tab-quality")).to_be_focused()
    ready(page, "quality")
    page.keyboard.press("ArrowRight")  # round to the first
    expect(page.locator("#tab-overview")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#tab-quality")).to_be_focused()
    page.keyboard.press("Home")
    expect(page.locator("#tab-overview")).to_have_attribute("aria-selected", "true")
    ready(page, "overview")


def test_the_drill_down_works_with_the_keyboard_alone(stack, demo, dashboard, page):
    regency = demo["regency"]
    open_as(page, dashboard, token(stack, "viewer", regency["id"], "bupati@tanjabbar"))
    first = page.locator("#children a[data-agency]").first
    unit_name = first.inner_text()
    for _ in range(40):  # Tab through the page, as a keyboard user does, until the first unit is reached
        page.keyboard.press("Tab")
        if first.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("the first unit cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#agency-name")).to_have_text(unit_name)
    ready(page)
    expect(page.locator("#view .view-title")).to_be_focused()  # the focus moved to the new view
    page.keyboard.press("Shift+Tab")
    crumb = page.locator(f"#crumbs a[data-agency='{regency['id']}']")
    for _ in range(20):  # and back up through the breadcrumb, by keyboard too
        if crumb.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#agency-name")).to_have_text(regency["name"])


def test_the_working_views_fit_a_phone(stack, demo, dashboard, new_page):
    unit = demo["units"]["1506.10"]
    fresh_indicator(stack, unit["id"], unique("IKU-HP"))
    cases = (("operator", unit["id"], ("entry", "planning", "activities")),
             ("evaluator", demo["regency"]["id"], ("queue", "quality")))
    for role, agency, views in cases:
        page = new_page(390, 844)
        open_as(page, dashboard, token(stack, role, agency, f"{role}@hp"))
        for view in views:
            tab(page, view)
            overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{role} {view}: the page is {overflow}px wider than a phone"
            shot(page, f"phone-{view}")
