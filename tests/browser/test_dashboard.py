"""The read views in a real browser (Debian's Chromium, driven by Playwright) against the real stack with the
demo data of `make run`: every view shows the APIs' own numbers in Indonesian formats, drill-down moves the views
to a unit, an expired token asks to sign in again, and an API stopped mid-session raises the error banner. A
screenshot of each view is saved under .local/test-output/dashboard/ for review."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.support import api_get, num, open_as, ready, shot, status_label, tab, token, words

VIEWER = "bupati@tanjabbar"


def viewer(stack, demo, ttl_s: int = 3600) -> str:
    return token(stack, "viewer", demo["regency"]["id"], VIEWER, ttl_s)


def test_the_overview_shows_the_regencys_scores_ranking_and_trend(stack, demo, dashboard, page):
    regency = demo["regency"]["id"]
    card = api_get(stack, "indicators", f"/api/v1/agencies/{regency}/scorecard?period=2025")
    ranking = api_get(stack, "indicators", f"/api/v1/agencies/{regency}/rankings?period=2025")
    open_as(page, dashboard, viewer(stack, demo))
    expect(page.locator("#agency-name")).to_have_text(demo["regency"]["name"])
    expect(page.locator("#own-score")).to_have_text(num(card["own"]["score"]))
    expect(page.locator("#own-grade")).to_have_text(card["own"]["category"]["label"])
    expect(page.locator("#rollup-score")).to_have_text(num(card["rollup"]["score"]))
    expect(page.locator("#coverage")).to_have_text(f"{round(card['own']['coverage'] * 100)}%")
    units = page.locator("#children li[data-agency]")
    expect(units).to_have_count(len(card["children"]))
    assert units.locator(".score").all_inner_texts() == [num(c["score"]) for c in card["children"]]
    assert page.locator("#ranking tr[data-agency]").evaluate_all("rows => rows.map(r => r.dataset.agency)") == [
        item["agency_id"] for item in ranking["items"]]
    assert page.locator("#trend td.num").all_inner_texts()[-1] == num(card["rollup"]["score"])
    # A light is never colour alone: its name is written next to it.
    assert card["own"]["light"] and page.locator(".light-text").first.inner_text() in ("Hijau", "Kuning", "Merah")
    shot(page, "overview")


def test_a_click_on_a_unit_drills_down_to_its_figures(stack, demo, dashboard, page):
    regency = demo["regency"]["id"]
    card = api_get(stack, "indicators", f"/api/v1/agencies/{regency}/scorecard?period=2025")
    unit = card["children"][3]
    open_as(page, dashboard, viewer(stack, demo))
    page.click(f"#children a[data-agency='{unit['agency_id']}']")
    expect(page.locator("#agency-name")).to_have_text(unit["name"])
    ready(page)
    unit_card = api_get(stack, "indicators", f"/api/v1/agencies/{unit['agency_id']}/scorecard?period=2025")
    expect(page.locator("#own-score")).to_have_text(num(unit_card["own"]["score"]))
    page.click(f"#crumbs a[data-agency='{regency}']")  # and back up through the breadcrumb
    expect(page.locator("#agency-name")).to_have_text(demo["regency"]["name"])


def test_the_scorecard_lists_each_indicator_with_its_status_and_filters_by_light(stack, demo, dashboard, page):
    regency = demo["regency"]["id"]
    card = api_get(stack, "indicators", f"/api/v1/agencies/{regency}/scorecard?period=2025")
    open_as(page, dashboard, viewer(stack, demo), "scorecard")
    rows = page.locator("#indicators tr[data-indicator]")
    expect(rows).to_have_count(len(card["indicators"]))
    assert rows.locator(".achievement").all_inner_texts() == [
        "–" if i["achievement"] is None else f"{num(i['achievement'])}%" for i in card["indicators"]]
    expect(page.locator("#rulepack")).to_have_text(str(card["rulepack_version"]))
    expected = [status_label(api_get(stack, "indicators", f"/api/v1/indicators/{i['indicator_id']}/realisations/2025")["status"])
                if i["periods_expected"] == 1 else words("scorecard.verified_of", verified=i["periods_verified"],
                                                         expected=i["periods_expected"])
                for i in card["indicators"]]  # a quarterly or monthly indicator's year: how many were verified
    assert rows.locator(".status").all_inner_texts() == expected
    page.select_option("#f-light", "green")
    visible = page.locator("#indicators tr[data-indicator]:visible")
    expect(visible).to_have_count(sum(1 for i in card["indicators"] if i["light"] == "green"))
    page.select_option("#f-light", "")
    shot(page, "scorecard")


def test_the_reform_view_shows_the_summary_timeline_and_overdue_follow_ups(stack, demo, dashboard, page):
    regency = demo["regency"]["id"]
    open_as(page, dashboard, viewer(stack, demo), "reform")
    summary = api_get(stack, "reforms", f"/api/v1/agencies/{regency}/reform-summary?year=2025")
    activities = api_get(stack, "reforms", f"/api/v1/activities?agency_id={regency}&year=2025&page_size=100")
    overdue = api_get(stack, "reforms", f"/api/v1/follow-ups?agency_id={regency}&overdue=true&page_size=100")
    rollup = summary["rollup"]
    expect(page.locator("#r-total")).to_have_text(num(rollup["activities"]["total"]))
    expect(page.locator("#r-registered")).to_have_text(num(rollup["participants"]["registered"]))
    expect(page.locator("#r-attended")).to_have_text(num(rollup["participants"]["attended"]))
    expect(page.locator("#r-rate")).to_have_text(num(rollup["participants"]["attendance_rate"]))
    assert page.locator("#activities tr[data-activity]").evaluate_all("rows => rows.map(r => r.dataset.activity)") == [
        a["id"] for a in activities["items"]]
    fgd = next(a for a in activities["items"] if a["kind"] == "fgd")
    feeds = page.locator(f"#activities tr[data-activity='{fgd['id']}']").inner_text()
    assert all(i["code"] in feeds for i in fgd["linked_indicators"]) and fgd["linked_indicators"]
    assert page.locator(f"#activities tr[data-activity='{fgd['id']}'] .status").inner_text() == "Selesai"
    expect(page.locator("#overdue li[data-follow-up]")).to_have_count(len(overdue["items"]))
    assert page.locator("#area-chart").get_attribute("role") == "img" and page.locator("#area-chart").get_attribute("aria-label")
    shot(page, "reform")


def test_the_culture_view_shows_the_index_the_surveys_change_and_the_commitments(stack, demo, dashboard, page):
    """The demo's FGD measured: the regency's culture index, pre/post per core value with the interval as the API
    computes it, the agencies too small to show said so, and the 22 leaders' commitments with the two overdue."""
    regency = demo["regency"]["id"]
    open_as(page, dashboard, viewer(stack, demo), "culture")
    index = api_get(stack, "reforms", f"/api/v1/agencies/{regency}/culture-index?year=2025")
    [survey] = api_get(stack, "reforms", f"/api/v1/surveys?agency_id={regency}&year=2025")
    results = api_get(stack, "reforms", f"/api/v1/surveys/{survey['id']}/results")
    commitments = api_get(stack, "reforms", f"/api/v1/activities/{survey['activity_id']}/commitments")
    expect(page.locator("#culture-index")).to_have_text(num(index["index"]))
    for row in results["dimensions"]:
        cells = page.locator(f"#culture-results tr[data-dimension='{row['code']}'] td")
        expect(cells.nth(0)).to_have_text(num(row["pre"]["mean"]))
        expect(cells.nth(1)).to_have_text(num(row["post"]["mean"]))
        change = row["change"]
        assert cells.nth(2).inner_text() == f"{'+' if change['mean'] > 0 else ''}{num(change['mean'])} (" \
            f"{'+' if change['low'] > 0 else ''}{num(change['low'])} s.d. {'+' if change['high'] > 0 else ''}" \
            f"{num(change['high'])})"
    akuntabel = next(r for r in results["dimensions"] if r["code"] == "akuntabel")
    assert akuntabel["change"]["low"] > 0  # the demo's visible change
    assert "terlalu sedikit" not in page.locator("#culture-results").inner_text()
    assert "22 perangkat daerah" in page.locator("#survey").inner_text()  # one leader each: none shown
    assert page.locator("#commitments tr[data-commitment]").evaluate_all("rows => rows.map(r => r.dataset.commitment)") \
        == [c["id"] for c in commitments]
    expect(page.locator("#commitments .late")).to_have_count(2)
    assert page.locator("#culture-chart").get_attribute("role") == "img"
    shot(page, "culture")


def test_the_data_quality_view_shows_the_servers_counts(stack, demo, dashboard, page):
    regency = demo["regency"]["id"]
    open_as(page, dashboard, viewer(stack, demo), "quality")
    quality = api_get(stack, "indicators", f"/api/v1/agencies/{regency}/data-quality?period=2025")
    expect(page.locator("#q-expected")).to_have_text(num(quality["expected"]))
    for state in ("verified", "submitted", "rejected", "draft", "missing"):
        expect(page.locator(f"#q-{state}")).to_have_text(num(quality["counts"][state]))
    assert quality["missing"] and quality["rejected"]  # the demo has one of each
    assert page.locator("#missing tr[data-gap]").evaluate_all("rows => rows.map(r => r.dataset.gap)") == [
        f"{g['indicator_id']}:{g['period']}" for g in quality["missing"]]
    assert page.locator("#rejected tr[data-gap]").evaluate_all("rows => rows.map(r => r.dataset.gap)") == [
        f"{g['indicator_id']}:{g['period']}" for g in quality["rejected"]]
    assert quality["rejected"][0]["reason"] in page.locator("#rejected").inner_text()
    shot(page, "data-quality")


def test_an_expired_token_asks_to_sign_in_again(stack, demo, dashboard, page):
    page.goto(f"{dashboard}/#token={viewer(stack, demo, ttl_s=-60)}")
    expect(page.locator("#signin")).to_be_visible(timeout=15000)
    expect(page.locator("#view")).to_be_hidden()
    expect(page.locator("#signin-title")).to_have_text(words("signin.title"))
    assert "token" not in page.url  # the link's token left the address bar at once
    shot(page, "signed-out")


def test_the_overview_fits_a_phone_and_fills_a_projector(stack, demo, dashboard, new_page):
    for name, (width, height) in (("phone", (390, 844)), ("projector", (1920, 1080))):
        page = new_page(width, height)
        open_as(page, dashboard, viewer(stack, demo))
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name}: the page is {overflow}px wider than the screen"
        expect(page.locator("#own-score")).to_be_visible()
        shot(page, f"overview-{name}")
