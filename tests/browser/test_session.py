"""Signing in and what goes wrong while a person works: the link's token leaves the address bar at once, sign-out
clears it, a token that expires mid-typing asks to sign in again and the save goes through afterwards with what
was typed, a save over a newer version shows what changed and saves on request, and an API that stops answering
raises the banner naming it while the form keeps its input."""
from __future__ import annotations

import time

from playwright.sync_api import expect

from tests.browser.support import (api_get, api_send, done, fresh_indicator, open_as, operator_of, shot, token,
                                   words)
from tests.support.kafka_tools import unique
from tests.support.wait import wait_for

LEEWAY_S = 30  # what the APIs allow past a token's expiry (shared.auth.tokens.TokenVerifier)


def open_editor(page, indicator: dict) -> None:
    page.locator(f"#entries tr[data-entry='{indicator['id']}:2025'] button.edit").click()
    expect(page.locator("#editor-title")).to_be_focused()


def test_the_links_token_leaves_the_address_bar_and_sign_out_clears_it(stack, demo, dashboard, page):
    unit = demo["units"]["1506.04"]
    open_as(page, dashboard, token(stack, "operator", unit["id"], "operator@bappeda"))
    assert page.url == f"{dashboard}/"
    assert page.evaluate("() => sessionStorage.getItem('kinerja.token')")
    expect(page.locator("#whoami")).to_have_text("operator@bappeda · Operator")
    page.click("#signout")
    expect(page.locator("#signin")).to_be_visible()
    expect(page.locator("#signin-reason")).to_have_text(words("signin.signed_out"))
    assert page.evaluate("() => sessionStorage.getItem('kinerja.token')") is None
    page.reload()
    expect(page.locator("#signin")).to_be_visible()
    expect(page.locator("#view")).to_be_hidden()


def test_a_token_expiring_mid_typing_asks_to_sign_in_again_and_keeps_what_was_typed(stack, demo, dashboard, page):
    unit = demo["units"]["1506.05"]
    indicator = fresh_indicator(stack, unit["id"], unique("IKU-EXP"))
    # Expired 25 s ago: the APIs take it for 5 s more (their leeway), long enough to open the editor.
    short = token(stack, "operator", unit["id"], "operator@bpkad", ttl_s=-(LEEWAY_S - 5))
    expires = time.time() + 5
    open_as(page, dashboard, short)
    open_editor(page, indicator)
    page.fill("#f-value", "64,25")
    page.fill("#f-note", "Diketik sebelum sesi berakhir")
    wait_for(lambda: time.time() > expires + 1, timeout=15, message="the token's expiry")
    page.click("#save-draft")
    expect(page.locator("#signin")).to_be_visible()
    expect(page.locator("#signin-title")).to_be_focused()
    expect(page.locator("#f-value")).to_have_value("64,25")  # the form is still there, with its input
    shot(page, "session-expired-mid-typing")
    page.fill("#signin-token", token(stack, "operator", unit["id"], "operator@bpkad"))
    page.click("#signin-form button")
    done(page, "entry.saved", "entry", code=indicator["code"])
    saved = api_get(stack, "indicators", f"/api/v1/indicators/{indicator['id']}/realisations/2025")
    assert (saved["value"], saved["note"], saved["status"]) == (64.25, "Diketik sebelum sesi berakhir", "draft")


def test_saving_over_a_newer_version_shows_what_changed_and_saves_on_request(stack, demo, dashboard, page):
    unit = demo["units"]["1506.07"]
    indicator = fresh_indicator(stack, unit["id"], unique("IKU-412"))
    base = f"/api/v1/indicators/{indicator['id']}/realisations/2025"
    colleague = operator_of(stack, unit["id"], "rekan@bapenda")
    api_send(stack, "indicators", "PUT", base, {"value": 50}, headers=colleague)
    open_as(page, dashboard, token(stack, "operator", unit["id"], "operator@bapenda"))
    open_editor(page, indicator)
    api_send(stack, "indicators", "PUT", base, {"value": 77, "note": "angka BPS"}, headers=colleague)
    page.fill("#f-value", "81")
    page.click("#save-draft")
    stale = page.locator("#stale")
    expect(stale).to_contain_text("rekan@bapenda")
    expect(stale).to_contain_text("nilai 77")
    expect(page.locator("#f-value")).to_have_value("81")
    assert api_get(stack, "indicators", base)["value"] == 77  # nothing was written over it yet
    shot(page, "session-stale")
    page.click("#retry")
    done(page, "entry.saved", "entry", code=indicator["code"])
    assert api_get(stack, "indicators", base)["value"] == 81


def test_an_api_stopped_mid_session_raises_the_banner_and_the_form_keeps_its_input(stack, demo, dashboard, page):
    unit = demo["units"]["1506.08"]
    indicator = fresh_indicator(stack, unit["id"], unique("IKU-DOWN"))
    open_as(page, dashboard, token(stack, "operator", unit["id"], "operator@bpbd"))
    open_editor(page, indicator)
    page.fill("#f-value", "12")
    page.fill("#f-evidence", "Laporan | https://bpbd.tanjabbarkab.go.id/laporan.pdf")
    expect(page.locator("#banner")).to_be_hidden()
    stack.kill("indicators-api")
    try:
        page.click("#save-draft")
        banner = page.locator("#banner")
        expect(banner).to_be_visible(timeout=15000)
        expect(banner).to_have_text(words("banner.down", service=words("service.indicators")))
        expect(page.locator("#editor-result .error")).to_have_text(words("error.down", service=words("service.indicators")))
        expect(page.locator("#f-value")).to_have_value("12")
        expect(page.locator("#f-evidence")).to_have_value("Laporan | https://bpbd.tanjabbarkab.go.id/laporan.pdf")
        shot(page, "api-down")
    finally:
        stack.start_api("indicators")
        stack.wait_ready()
    page.click("#save-draft")
    done(page, "entry.saved", "entry", code=indicator["code"])
    assert api_get(stack, "indicators", f"/api/v1/indicators/{indicator['id']}/realisations/2025")["value"] == 12


def test_an_administrator_without_an_agency_chooses_one_and_a_bad_period_is_refused_on_the_page(stack, demo, dashboard,
                                                                                                   page):
    page.goto(f"{dashboard}/#token={token(stack, 'admin', '*', 'admin@kemenpan')}")
    roots = page.locator("#roots a[data-agency]")
    expect(roots.first).to_be_visible(timeout=15000)
    expect(page.locator("#view .view-title")).to_have_text(words("frame.choose"))
    page.locator("#roots a", has_text="Pemerintah Provinsi Jambi").click()
    expect(page.locator("#agency-name")).to_have_text("Pemerintah Provinsi Jambi")
    page.fill("#period", "2025Q5")
    page.dispatch_event("#period", "change")
    expect(page.locator("#period")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("() => document.querySelector('#period').validationMessage") == words("frame.bad_period")
    page.fill("#period", "2025q3")
    page.dispatch_event("#period", "change")
    expect(page.locator("#period")).to_have_attribute("aria-invalid", "false")
    expect(page.locator("#trend")).to_contain_text("2025Q3")


def test_signing_in_again_as_someone_else_starts_the_page_afresh_under_their_name(stack, demo, dashboard, page):
    unit = demo["units"]["1506.09"]
    short = token(stack, "operator", unit["id"], "operator@kesbangpol", ttl_s=-(LEEWAY_S - 8))
    expires = time.time() + 8  # room for the first view on a busy machine
    open_as(page, dashboard, short)
    wait_for(lambda: time.time() > expires + 1, timeout=15, message="the token's expiry")
    page.click("#tab-overview")
    expect(page.locator("#signin")).to_be_visible()
    page.fill("#signin-token", token(stack, "viewer", unit["id"], "kepala@kesbangpol"))
    page.click("#signin-form button")
    expect(page.locator("#whoami")).to_have_text("kepala@kesbangpol · Pembaca", timeout=15000)
    expect(page.locator("#tabs [role=tab]")).to_have_count(5)  # a viewer's views, not the operator's
    assert page.locator("#tabs [role=tab]").evaluate_all("t => t.map(x => x.dataset.view)") == [
        "overview", "scorecard", "reform", "culture", "quality"]
