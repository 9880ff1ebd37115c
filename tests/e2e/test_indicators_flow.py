"""The indicators service in the real stack: agencies registered in the registry reach its replica over
Kafka, a verified realisation becomes a score, the score climbs the tree through `score.changed`
events, and a move in the registry moves the score between roll-ups."""
from __future__ import annotations

import requests

from tests.conftest import auth_header
from tests.support.kafka_tools import unique
from tests.support.wait import wait_for

ADMIN = auth_header("admin")


def post(stack, service, path, body, headers=ADMIN, expected=(200, 201)):
    response = requests.post(stack.url(service, path), json=body, headers=headers, timeout=10)
    assert response.status_code in expected, response.text
    return response.json()


def register(stack, type_, parent=None):
    body = {"code": unique(type_.upper()), "name": f"{type_} {unique('n')}", "type": type_,
            **({"parent_id": parent} if parent else {})}
    agency = post(stack, "agencies", "/api/v1/agencies", body)
    wait_for(lambda: requests.get(stack.url("indicators", f"/api/v1/agencies/{agency['id']}"), headers=ADMIN,
                                  timeout=5).status_code == 200, timeout=10, message="the agency in the replica")
    return agency


def scored(stack, agency_id, value, target):
    indicator = post(stack, "indicators", "/api/v1/indicators", {
        "agency_id": agency_id, "code": unique("IKU"), "name": "Indeks Kepuasan", "unit": "%",
        "polarity": "higher_is_better", "frequency": "annual"})
    base = f"/api/v1/indicators/{indicator['id']}"
    assert requests.put(stack.url("indicators", f"{base}/targets/2025"), json={"value": target}, headers=ADMIN,
                        timeout=10).status_code == 200
    operator = auth_header("operator", agency_id, sub="operator")
    assert requests.put(stack.url("indicators", f"{base}/realisations/2025"), json={"value": value},
                        headers=operator, timeout=10).status_code == 200
    post(stack, "indicators", f"{base}/realisations/2025/submit", None, headers=operator)
    post(stack, "indicators", f"{base}/realisations/2025/verify", None, headers=auth_header("evaluator", agency_id))


def rollup(stack, agency_id):
    card = requests.get(stack.url("indicators", f"/api/v1/agencies/{agency_id}/scorecard?period=2025"),
                        headers=ADMIN, timeout=5).json()
    return card["rollup"]["score"]


def test_a_verified_realisation_climbs_the_tree_and_follows_a_move(stack):
    province = register(stack, "province")
    regency_a, regency_b = register(stack, "regency", province["id"]), register(stack, "regency", province["id"])
    unit_1, unit_2 = register(stack, "work_unit", regency_a["id"]), register(stack, "work_unit", regency_a["id"])
    scored(stack, unit_1["id"], 90, 100)
    scored(stack, unit_2["id"], 60, 100)
    wait_for(lambda: rollup(stack, province["id"]) == 75.0, timeout=20, message="the province's roll-up of 90 and 60")
    assert rollup(stack, regency_a["id"]) == 75.0

    post(stack, "agencies", f"/api/v1/agencies/{unit_2['id']}/move", {"parent_id": regency_b["id"]})
    wait_for(lambda: (rollup(stack, regency_a["id"]), rollup(stack, regency_b["id"])) == (90.0, 60.0), timeout=20,
             message="unit 2's score moved from regency A's roll-up to regency B's")
    assert rollup(stack, province["id"]) == 75.0
