"""One stack per run (the session's), the demo data of `make run` in it, one dashboard server and one Chromium
for every browser test; a fresh browser context (no storage, no cache) per test."""
from __future__ import annotations

import pytest
import requests
from playwright.sync_api import sync_playwright

from tests.browser.support import CHROMIUM, api_get
from tests.support.dashboard import admin_header, dashboard_server, load_demo
from tests.support.wait import wait_for


@pytest.fixture(scope="session")
def demo(stack):
    regency = load_demo(stack)
    admin = admin_header(stack)
    # The reform indicator counts the FGD once the event has gone through, and the regency's card is computed.
    card = lambda: requests.get(stack.url("indicators", f"/api/v1/agencies/{regency['id']}/scorecard?period=2025"),  # noqa: E731
                                headers=admin, timeout=10).json()
    wait_for(lambda: card()["computed"] and card()["rollup"]["agencies_counted"] == 23, timeout=60,
             message="the demo regency's scorecard")
    units = api_get(stack, "agencies", f"/api/v1/agencies/{regency['id']}/children?page_size=100")["items"]
    return {"regency": regency, "admin": admin, "units": {u["code"]: u for u in units}}


@pytest.fixture(scope="session")
def dashboard(stack):
    with dashboard_server(stack) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from pathlib import Path

    assert Path(CHROMIUM).exists(), "Chromium is needed for the browser tests: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Pages in fresh contexts (each its own session storage: its own signed-in user)."""
    contexts = []

    def make(width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
        contexts.append(context)
        return context.new_page()
    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
