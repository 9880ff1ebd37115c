"""Shared setup of the indicators integration tests: the app on its own database, an agency tree in its
replica (as agency events put it there), and the in-process event pump."""
from __future__ import annotations

import uuid

import pytest

from shared.contracts.agencies import AGENCY_DEACTIVATED, AGENCY_MOVED, AGENCY_REGISTERED, AGENCY_UPDATED
from shared.events.envelope import Event
from tests.conftest import auth_header
from tests.support.kafka_tools import unique
from tests.support.pump import deliver, pump
from tests.support.trees import grown


class Tree:
    """Agencies in the replica, by name: each with its id, path and sequence."""

    def __init__(self, registry):
        self.registry = registry
        self.agencies: dict[str, dict] = {}

    def add(self, name: str, type_: str, parent: str | None = None) -> dict:
        parent_doc = self.agencies.get(parent) if parent else None
        agency = {"id": str(uuid.uuid4()), "code": unique(name.upper()), "name": name, "short_name": None,
                  "type": type_, "parent_id": parent_doc and parent_doc["id"],
                  "path": [*parent_doc["path"], parent_doc["id"]] if parent_doc else [], "status": "active",
                  "sequence": 1}
        self.agencies[name] = agency
        self._send(AGENCY_REGISTERED, agency, {})
        return agency

    def move(self, name: str, new_parent: str) -> None:
        agency, parent = self.agencies[name], self.agencies[new_parent]
        old_parent = agency["parent_id"]
        agency.update(parent_id=parent["id"], path=[*parent["path"], parent["id"]], sequence=agency["sequence"] + 1)
        self._send(AGENCY_MOVED, agency, {"old_parent_id": old_parent, "new_parent_id": parent["id"]})

    def set_head(self, name: str, head: dict) -> None:
        agency = self.agencies[name]
        agency.update(head=head, sequence=agency["sequence"] + 1)
        self._send(AGENCY_UPDATED, agency, {"changed": ["head"]})

    def deactivate(self, name: str) -> None:
        agency = self.agencies[name]
        agency.update(status="inactive", sequence=agency["sequence"] + 1)
        self._send(AGENCY_DEACTIVATED, agency, {"reason": "merged"})

    def _send(self, contract, agency, extra) -> None:
        snapshot = {k: agency[k] for k in ("id", "code", "name", "short_name", "type", "parent_id", "path", "status")}
        snapshot["head"] = agency.get("head")
        event = contract.build(source="agencies", subject=agency["id"], sequence=agency["sequence"],
                               data={"agency": snapshot, **extra})
        deliver(self.registry, [Event.from_dict(event.to_dict())])

    def __getitem__(self, name: str) -> str:
        return self.agencies[name]["id"]


@pytest.fixture
def indicators_settings(settings_for):
    return settings_for("indicators", "ind_")


@pytest.fixture
def indicators_app(indicators_settings):
    from tests.conftest import app_of

    return app_of("indicators", indicators_settings)


@pytest.fixture
def repo(indicators_app):
    return indicators_app.extensions["kinerja.repository"]


@pytest.fixture
def registry(repo):
    from services.indicators.consumers import build_registry

    return build_registry(repo)


@pytest.fixture
def api(indicators_app):
    client = indicators_app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = auth_header("admin")["Authorization"]
    return client


@pytest.fixture
def run_worker(registry, repo):
    """Relay this service's events to its own handlers (scorecards), until nothing is pending."""
    collections = [repo.indicators.collection, repo.realisations.collection, repo.locks.collection,
                   repo.rulepacks.collection, repo.scorecards.collection, repo.weights_store.collection,
                   repo.plans.collection, repo.agreements.collection, repo.narratives.collection]
    # (the order of the service's outbox documents)
    return lambda: pump(registry, collections)


@pytest.fixture
def tree(registry):
    """Provinsi Jambi > Kabupaten Tanjabbar > Dinas Pendidikan (> Bidang SD), Dinas Kesehatan;
    and a second regency, Kabupaten Tanjabtim."""
    return grown(Tree(registry))


def define(api, agency_id, **fields):
    body = {"agency_id": agency_id, "code": unique("IKU"), "name": "Indeks Kepuasan Masyarakat", "unit": "%",
            "polarity": "higher_is_better", "frequency": "annual", "weight": 1, "category": "IKU", **fields}
    response = api.post("/api/v1/indicators", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def verified(api, indicator, period, value, target=None, *, headers_operator=None, headers_evaluator=None):
    """Target (if given), record, submit (operator) and verify (another person) one period's value."""
    base = f"/api/v1/indicators/{indicator['id']}"
    if target is not None:
        body = target if isinstance(target, dict) else {"value": target}
        assert api.put(f"{base}/targets/{period}", json=body).status_code == 200
    operator = headers_operator or auth_header("operator", indicator["agency_id"], sub="operator@unit")
    evaluator = headers_evaluator or auth_header("evaluator", indicator["agency_id"], sub="evaluator@inspektorat")
    assert api.put(f"{base}/realisations/{period}", json={"value": value}, headers=operator).status_code == 200
    assert api.post(f"{base}/realisations/{period}/submit", headers=operator).status_code == 200
    response = api.post(f"{base}/realisations/{period}/verify", headers=evaluator)
    assert response.status_code == 200, response.get_json()
    return response.get_json()
