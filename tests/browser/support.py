"""What the browser tests share: tokens, opening a view as a user, the page's number formats (Intl id-ID, as
shared.formats writes them), reading the APIs for the expected figures, and axe-core's verdict on a page."""
from __future__ import annotations

import json
import shutil

import requests
from playwright.sync_api import expect

from kinerja.testing.stack import REPO
from shared.auth.tokens import mint_token
from shared.formats import number
from shared.messages import label
from tests.support.dashboard import admin_header

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
SHOTS = REPO / ".local" / "test-output" / "dashboard"
CATALOGUES = {lang: json.loads((REPO / "dashboard" / "i18n" / f"{lang}.json").read_text()) for lang in ("id", "en")}
READY = 20000


def token(stack, role: str, agency_id: str, sub: str, ttl_s: int = 3600) -> str:
    return mint_token(key=stack.jwt_secret, sub=sub, role=role, agency_id=agency_id, ttl_s=ttl_s)


def words(key: str, lang: str = "id", **params) -> str:
    text = CATALOGUES[lang][key]
    for name, value in params.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def num(value) -> str:
    """A number as the page writes it in Indonesian (78,89; 1.234,5; – when missing)."""
    return number(value)


def status_label(code: str) -> str:
    return label("status", code)


def api_get(stack, service: str, path: str, headers: dict | None = None) -> dict:
    response = requests.get(stack.url(service, path), headers=headers or admin_header(stack), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def api_send(stack, service: str, method: str, path: str, body=None, headers=None, status: int = 200) -> dict:
    response = requests.request(method, stack.url(service, path), json=body, headers=headers or admin_header(stack),
                                timeout=10)
    assert response.status_code == status, response.text
    return response.json()


def ready(page, view: str | None = None) -> None:
    selector = "#view[data-ready=true]" + (f"[data-view={view}]" if view else "")
    expect(page.locator(selector)).to_have_count(1, timeout=READY)


def done(page, key: str, view: str | None = None, **params) -> None:
    """An action's confirmation on screen (its toast), then the view drawn again with the API's new state."""
    expect(page.locator("#toast")).to_have_text(words(key, **params), timeout=READY)
    ready(page, view)


def open_as(page, dashboard: str, bearer: str, view: str | None = None, agency: str | None = None) -> None:
    """The sign-in link, then (if asked) a click on the view's tab."""
    page.goto(f"{dashboard}/#token={bearer}" + (f"&agency={agency}" if agency else ""))
    ready(page)
    if view:
        tab(page, view)


def tab(page, view: str) -> None:
    page.click(f"#tabs button[data-view={view}]")
    ready(page, view)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def axe_violations(page, dashboard: str) -> list[dict]:
    """axe-core (served by our dashboard server) on the page as it is: the serious and critical violations of
    WCAG 2.0/2.1 A and AA."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(url=f"{dashboard}/vendor/axe.js")
    result = page.evaluate("""async () => {
        const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        return { passes: r.passes.length, violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")) })) };
    }""")
    assert result["passes"] > 10, "axe-core checked next to nothing: is the page drawn?"
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def fresh_indicator(stack, agency_id: str, code: str, target: float | None = 100, **fields) -> dict:
    body = {"agency_id": agency_id, "code": code, "name": f"Indikator uji {code}", "unit": "%",
            "polarity": "higher_is_better", "frequency": "annual", "weight": 1, "category": "IKU", **fields}
    indicator = api_send(stack, "indicators", "POST", "/api/v1/indicators", body, status=201)
    if target is not None:
        api_send(stack, "indicators", "PUT", f"/api/v1/indicators/{indicator['id']}/targets/2025", {"value": target})
    return indicator


def operator_of(stack, agency_id: str, sub: str) -> dict:
    return {"Authorization": f"Bearer {token(stack, 'operator', agency_id, sub)}"}
