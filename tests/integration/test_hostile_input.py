"""Hostile input never reaches a 500: every case is a clear problem+json, and nothing is written."""
from __future__ import annotations

import pytest

from services.agencies.adapters.documents import Agency
from tests.support.kafka_tools import unique
from tests.support.db import coll

PROBLEM = "application/problem+json"


def province(**extra):
    return {"code": unique("P"), "name": "Provinsi Jambi", "type": "province", **extra}


@pytest.fixture
def agency(client):
    return client.post("/api/v1/agencies", json=province()).get_json()


def nested(depth: int) -> str:
    return '{"code": "X", "name": "x", "type": "province", "head": ' + "[" * depth + "]" * depth + "}"


def assert_nothing_written(before: int) -> None:
    assert coll(Agency).count_documents({}) == before


@pytest.mark.parametrize("depth", [40, 1000, 100000])
def test_deeply_nested_json_is_400_on_every_write(client, agency, depth):
    before = coll(Agency).count_documents({})
    for method, url, extra in [("post", "/api/v1/agencies", {}),
                               ("patch", f"/api/v1/agencies/{agency['id']}", {"If-Match": '"1"'}),
                               ("post", "/api/v1/agencies/import", {})]:
        response = getattr(client, method)(url, data=nested(depth), content_type="application/json", headers=extra)
        assert response.status_code == 400 and response.mimetype == PROBLEM, (url, response.get_json())
        assert "nested deeper" in response.get_json()["detail"]
    assert_nothing_written(before)


LONE_SURROGATE = '"Dinas \\ud800 Kesehatan"'


def test_a_lone_surrogate_is_422_on_post_patch_and_import_and_a_dry_run_reports_nothing(client, agency):
    before = coll(Agency).count_documents({})
    body = '{"code": "SURR1", "name": %s, "type": "province"}' % LONE_SURROGATE
    for method, url, payload, headers in [
            ("post", "/api/v1/agencies", body, {}),
            ("patch", f"/api/v1/agencies/{agency['id']}", '{"name": %s}' % LONE_SURROGATE, {"If-Match": '"1"'}),
            ("post", "/api/v1/agencies/import", "[%s]" % body, {}),
            ("post", "/api/v1/agencies/import?dry_run=true", "[%s]" % body, {})]:
        response = getattr(client, method)(url, data=payload, content_type="application/json", headers=headers)
        assert response.status_code == 422 and response.mimetype == PROBLEM, (url, response.get_json())
        assert "surrogate" in str(response.get_json()["errors"])
    assert_nothing_written(before)
    assert client.get(f"/api/v1/agencies/{agency['id']}").get_json()["version"] == 1


@pytest.mark.parametrize("name", ["Dinas\x00Kesehatan", "Dinas\x07", "\x1b[31mred"])
def test_control_characters_in_names_are_422_in_json_and_csv(client, name):
    before = coll(Agency).count_documents({})
    response = client.post("/api/v1/agencies", json=province(name=name))
    assert response.status_code == 422 and "name" in response.get_json()["errors"]
    csv = f"code,name,type\n{unique('C')},{name},province\n"
    imported = client.post("/api/v1/agencies/import", data=csv.encode(), content_type="text/csv")
    assert imported.status_code == 422 and imported.mimetype == PROBLEM
    assert_nothing_written(before)


@pytest.mark.parametrize("number", ["123456789012345678901234567890", "1e400", "-1e400"])
def test_numbers_that_cannot_be_stored_are_422(client, number):
    body = '{"code": "N1", "name": "x", "type": "province", "head": {"name": "a", "title": "b", "n": %s}}' % number
    response = client.post("/api/v1/agencies", data=body, content_type="application/json")
    assert response.status_code == 422 and response.mimetype == PROBLEM


@pytest.mark.parametrize("query", ["page=99999999999999999999", "page_size=-1", "q=%00", "sort=%00"])
def test_bad_query_strings_are_422(client, query):
    response = client.get(f"/api/v1/agencies?{query}")
    assert response.status_code == 422 and response.mimetype == PROBLEM


def test_a_very_long_url_is_414_problem(client):
    response = client.get("/api/v1/agencies?q=" + "a" * 5000)
    assert response.status_code == 414 and response.mimetype == PROBLEM


def test_a_body_larger_than_the_limit_is_413(client):
    response = client.post("/api/v1/agencies/import", data=b"x" * (2 * 1024 * 1024), content_type="text/csv")
    assert response.status_code == 413 and response.mimetype == PROBLEM


def test_a_csv_that_is_not_utf8_is_400(client):
    response = client.post("/api/v1/agencies/import", data="code,name,type\nX,Dinas \xe9,province\n".encode("latin-1"),
                           content_type="text/csv")
    assert response.status_code == 400 and "UTF-8" in response.get_json()["detail"]
