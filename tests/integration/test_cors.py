"""CORS for agency dashboards: only the configured origins may call the API from a browser."""
from __future__ import annotations

import pytest

from tests.conftest import auth_header

DASHBOARD = "http://localhost:8000"


@pytest.fixture
def browser(settings_for):
    from tests.conftest import app_of

    app = app_of("agencies", settings_for("agencies", "it_", KINERJA_CORS_ORIGINS=f"{DASHBOARD}, https://kinerja.example"))
    return app.test_client()


def test_a_configured_origin_may_read_with_a_bearer_token(browser):
    response = browser.get("/api/v1/agencies", headers={**auth_header("admin"), "Origin": DASHBOARD})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == DASHBOARD
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]


def test_a_preflight_from_a_configured_origin_allows_the_headers_the_api_needs(browser):
    response = browser.options("/api/v1/agencies/x", headers={
        "Origin": DASHBOARD, "Access-Control-Request-Method": "PATCH",
        "Access-Control-Request-Headers": "authorization, content-type, if-match"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == DASHBOARD
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert {"authorization", "content-type", "if-match"} <= {h.strip() for h in allowed.split(",")}


def test_another_origin_gets_no_cors_headers(browser):
    response = browser.get("/api/v1/agencies", headers={**auth_header("admin"), "Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_without_configured_origins_there_is_no_cors(client):
    response = client.get("/api/v1/agencies", headers={"Origin": DASHBOARD})
    assert "Access-Control-Allow-Origin" not in response.headers
