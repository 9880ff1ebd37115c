"""The dashboard's server: the catalogues it serves (the page's own words with the labels of codes from
shared.messages), its two libraries, and the headers that keep a page holding a bearer token to itself."""
from __future__ import annotations

import pytest

from dashboard.server import create_app
from shared.messages import label

APIS = {"agencies": "http://127.0.0.1:8001", "indicators": "http://127.0.0.1:8002", "reforms": "https://api.example.go.id"}


@pytest.fixture
def client():
    return create_app(APIS).test_client()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_catalogue_holds_the_pages_words_and_the_labels_of_codes(client, lang):
    words = client.get(f"/i18n/{lang}.json").get_json()
    assert words["status.rejected"] == label("status", "rejected", lang)
    assert words["kind.fgd"] == label("kind", "fgd", lang)
    assert words["view.entry"] == {"id": "Entri data", "en": "Data entry"}[lang]
    assert client.get("/i18n/fr.json").status_code == 404


def test_the_libraries_are_served_from_our_own_server(client):
    for name in ("chart.js", "axe.js"):
        response = client.get(f"/vendor/{name}")
        assert response.status_code == 200 and response.mimetype == "text/javascript" and len(response.data) > 100_000
    assert client.get("/vendor/other.js").status_code == 404


def test_every_answer_keeps_the_page_to_itself(client):
    for path in ("/", "/static/js/app.js", "/config.json", "/i18n/id.json"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "script-src" not in policy
        assert f"connect-src 'self' {APIS['agencies']} {APIS['indicators']} {APIS['reforms']}" in policy
        assert headers["Referrer-Policy"] == "no-referrer" and headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/config.json").get_json() == {"apis": APIS}
