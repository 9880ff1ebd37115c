"""The agency dashboard in a real browser (Debian's Chromium, driven by Playwright) against the real stack
with the demo data of `make run`: every view shows the APIs' own numbers, drill-down moves the views to a
unit, an expired token asks to sign in again, and an API stopped mid-session raises the error banner. A
screenshot of each view is saved under .local/test-output/dashboard/ for review."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect, sync_playwright

from kinerja.testing.stack import REPO
from shared.auth.tokens import mint_token
from tests.support.dashboard import admin_header, dashboard_server, load_demo
from tests.support.wait import wait_for

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
SHOTS = REPO / ".local" / "test-output" / "dashboard"


def js(value) -> str:
    """A number as the page's String(value) writes it (100.0 → "100"), or the dash of a missing one."""
    if value is None:
        return "–"
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


@pytest.fixture(scope="module")
def demo(stack):
    regency = load_demo(stack)
    admin = admin_header(stack)
    # The reform indicator counts the FGD once the event has gone through, and the regency's card is computed.
    card = lambda: requests.get(stack.url("indicators", f"/api/v1/agencies/{regency['id']}/scorecard?period=2025"),  # noqa: E731
                                headers=admin, timeout=10).json()
    wait_for(lambda: card()["computed"] and card()["rollup"]["agencies_counted"] == 23, timeout=60,
             message="the demo regency's scorecard")
    return {"regency": regency, "admin": admin}


@pytest.fixture(scope="module")
def dashboard(stack):
    with dashboard_server(stack) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Chromium is needed for the browser tests: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def viewer_token(stack, agency_id: str, ttl_s: int = 3600) -> str:
    return mint_token(key=stack.jwt_secret, sub="bupati@tanjabbar", role="viewer", agency_id=agency_id, ttl_s=ttl_s)


def api(stack, demo, service: str, path: str) -> dict:
    response = requests.get(stack.url(service, path), headers=demo["admin"], timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def open_view(page, dashboard, token: str, view: str | None = None):
    page.goto(f"{dashboard}/#token={token}")
    expect(page.locator("#view")).to_have_attribute("data-ready", "true", timeout=15000)
    if view:
        page.click(f"#tabs button[data-view={view}]")
        expect(page.locator("#view")).to_have_attribute("data-ready", "true", timeout=15000)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_overview_shows_the_regencys_scores_ranking_and_trend(stack, demo, dashboard, page):
    regency = demo["regency"]["id"]
    card = api(stack, demo, "indicators", f"/api/v1/agencies/{regency}/scorecard?period=2025")
    ranking = api(stack, demo, "indicators", f"/api/v1/agencies/{regency}/rankings?period=2025")
    open_view(page, dashboard, viewer_token(stack, regency))
    expect(page.locator("#agency-name")).to_have_text(demo["regency"]["name"])
    expect(page.locator("#own-score")).to_have_text(js(card["own"]["score"]))
    expect(page.locator("#own-grade")).to_have_text(card["own"]["category"]["label"])
    expect(page.locator("#rollup-score")).to_have_text(js(card["rollup"]["score"]))
    expect(page.locator("#coverage")).to_have_text(f"{round(card['own']['coverage'] * 100)}%")
    units = page.locator("#children li[data-agency]")
    expect(units).to_have_count(len(card["children"]))
    assert units.locator(".score").all_inner_texts() == [js(c["score"]) for c in card["children"]]
    assert page.locator("#ranking tr[data-agency]").evaluate_all("rows => rows.map(r => r.dataset.agency)") == [
        item["agency_id"] for item in ranking["items"]]
    trend = page.locator("#trend td.num").all_inner_texts()
    assert trend[-1] == js(card["rollup"]["score"])
    shot(page, "overview")


def test_a_click_on_a_unit_drills_down_to_its_figures(stack, demo, dashboard, page):
    regency = demo["regency"]["id"]
    card = api(stack, demo, "indicators", f"/api/v1/agencies/{regency}/scorecard?period=2025")
    unit = card["children"][3]
    open_view(page, dashboard, viewer_token(stack, regency))
    page.click(f"#children a[data-agency='{unit['agency_id']}']")
    expect(page.locator("#agency-name")).to_have_text(unit["name"])
    expect(page.locator("#view")).to_have_attribute("data-ready", "true")
    unit_card = api(stack, demo, "indicators", f"/api/v1/agencies/{unit['agency_id']}/scorecard?period=2025")
    expect(page.locator("#own-score")).to_have_text(js(unit_card["own"]["score"]))
    page.click(f"#crumbs a[data-agency='{regency}']")  # and back up through the breadcrumb
    expect(page.locator("#agency-name")).to_have_text(demo["regency"]["name"])


def test_the_scorecard_lists_each_indicator_with_its_status_and_filters_by_light(stack, demo, dashboard, page):
    regency = demo["regency"]["id"]
    card = api(stack, demo, "indicators", f"/api/v1/agencies/{regency}/scorecard?period=2025")
    open_view(page, dashboard, viewer_token(stack, regency), "scorecard")
    rows = page.locator("#indicators tr[data-indicator]")
    expect(rows).to_have_count(len(card["indicators"]))
    assert rows.locator(".achievement").all_inner_texts() == [js(i["achievement"]) for i in card["indicators"]]
    expect(page.locator("#rulepack")).to_have_text(str(card["rulepack_version"]))
    statuses = rows.locator(".status").all_inner_texts()
    expected = [api(stack, demo, "indicators", f"/api/v1/indicators/{i['indicator_id']}/realisations/2025")["status"]
                if i["periods_expected"] == 1 else f"{i['periods_verified']}/{i['periods_expected']} verified"
                for i in card["indicators"]]  # a quarterly or monthly indicator's year: how many were verified
    assert statuses == expected
    page.select_option("#f-light", "green")
    visible = page.locator("#indicators tr[data-indicator]:visible")
    expect(visible).to_have_count(sum(1 for i in card["indicators"] if i["light"] == "green"))
    page.select_option("#f-light", "")
    shot(page, "scorecard")


def test_the_reform_view_shows_the_summary_timeline_and_overdue_follow_ups(stack, demo, dashboard, page):
    regency = demo["regency"]["id"]
    summary = api(stack, demo, "reforms", f"/api/v1/agencies/{regency}/reform-summary?year=2025")
    activities = api(stack, demo, "reforms", f"/api/v1/activities?agency_id={regency}&year=2025&page_size=100")
    overdue = api(stack, demo, "reforms", f"/api/v1/follow-ups?agency_id={regency}&overdue=true&page_size=100")
    open_view(page, dashboard, viewer_token(stack, regency), "reform")
    rollup = summary["rollup"]
    expect(page.locator("#r-total")).to_have_text(js(rollup["activities"]["total"]))
    expect(page.locator("#r-registered")).to_have_text(js(rollup["participants"]["registered"]))
    expect(page.locator("#r-attended")).to_have_text(js(rollup["participants"]["attended"]))
    expect(page.locator("#r-rate")).to_have_text(js(rollup["participants"]["attendance_rate"]))
    assert page.locator("#activities tr[data-activity]").evaluate_all("rows => rows.map(r => r.dataset.activity)") == [
        a["id"] for a in activities["items"]]
    fgd = next(a for a in activities["items"] if a["kind"] == "fgd")
    feeds = page.locator(f"#activities tr[data-activity='{fgd['id']}']").inner_text()
    assert all(i["code"] in feeds for i in fgd["linked_indicators"]) and fgd["linked_indicators"]
    expect(page.locator("#overdue li[data-follow-up]")).to_have_count(len(overdue["items"]))
    shot(page, "reform")


def test_the_data_quality_view_shows_the_servers_counts(stack, demo, dashboard, page):
    regency = demo["regency"]["id"]
    quality = api(stack, demo, "indicators", f"/api/v1/agencies/{regency}/data-quality?period=2025")
    open_view(page, dashboard, viewer_token(stack, regency), "quality")
    expect(page.locator("#q-expected")).to_have_text(js(quality["expected"]))
    for state in ("verified", "submitted", "rejected", "draft", "missing"):
        expect(page.locator(f"#q-{state}")).to_have_text(js(quality["counts"][state]))
    assert quality["missing"] and quality["rejected"]  # the demo has one of each
    assert page.locator("#missing tr[data-gap]").evaluate_all("rows => rows.map(r => r.dataset.gap)") == [
        f"{g['indicator_id']}:{g['period']}" for g in quality["missing"]]
    assert page.locator("#rejected tr[data-gap]").evaluate_all("rows => rows.map(r => r.dataset.gap)") == [
        f"{g['indicator_id']}:{g['period']}" for g in quality["rejected"]]
    assert quality["rejected"][0]["reason"] in page.locator("#rejected").inner_text()
    shot(page, "data-quality")


def test_an_expired_token_asks_to_sign_in_again(stack, demo, dashboard, page):
    page.goto(f"{dashboard}/#token={viewer_token(stack, demo['regency']['id'], ttl_s=-60)}")
    expect(page.locator("#signin")).to_be_visible(timeout=15000)
    expect(page.locator("#view")).to_be_hidden()
    shot(page, "signed-out")


def test_an_api_stopped_mid_session_shows_the_error_banner(stack, demo, dashboard, page):
    open_view(page, dashboard, viewer_token(stack, demo["regency"]["id"]))
    expect(page.locator("#banner")).to_be_hidden()
    stack.kill("indicators-api")
    try:
        page.click("#tabs button[data-view=scorecard]")
        expect(page.locator("#banner")).to_be_visible(timeout=15000)
        expect(page.locator("#banner")).to_contain_text("indicators service is not answering")
        shot(page, "api-down")
    finally:
        stack.start_api("indicators")
        stack.wait_ready()


def test_the_overview_fits_a_phone_and_fills_a_projector(stack, demo, dashboard, browser):
    for name, viewport in (("phone", {"width": 390, "height": 844}), ("projector", {"width": 1920, "height": 1080})):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        try:
            open_view(page, dashboard, viewer_token(stack, demo["regency"]["id"]))
            overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name}: the page is {overflow}px wider than the screen"
            expect(page.locator("#own-score")).to_be_visible()
            shot(page, f"overview-{name}")
        finally:
            context.close()
