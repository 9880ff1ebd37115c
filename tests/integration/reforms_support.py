"""Shared setup of the reforms integration tests: the app on its own database, an agency tree and
indicators in its replicas (as their events put them there), and a look into the activity outboxes."""
from __future__ import annotations

import pytest

from shared.contracts.indicators import INDICATOR_DEFINED, INDICATOR_RETIRED
from shared.events.envelope import Event
from tests.conftest import auth_header
from tests.integration.indicators_support import Tree
from tests.support.kafka_tools import unique
from tests.support.pump import deliver

FGD = {"title": "FGD Mengubah Tata Pikir (mind set) Pimpinan SKPD", "kind": "fgd", "area": "manajemen_perubahan",
       "start": "2025-01-30T08:00:00+07:00", "end": "2025-01-30T16:00:00+07:00", "planned_participants": 22,
       "venue": "Jl. Veteran No. 10, Jakarta Pusat"}


@pytest.fixture
def reforms_settings(settings_for):
    return settings_for("reforms", "ref_")


@pytest.fixture
def reforms_app(reforms_settings):
    from tests.conftest import app_of

    return app_of("reforms", reforms_settings)


@pytest.fixture
def reforms_repo(reforms_app):
    return reforms_app.extensions["kinerja.repository"]


@pytest.fixture
def reforms_registry(reforms_repo):
    from services.reforms.consumers import build_registry

    return build_registry(reforms_repo)


@pytest.fixture
def ref(reforms_app):
    """A test client of the reforms API that sends an admin token unless a request says otherwise."""
    client = reforms_app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = auth_header("admin")["Authorization"]
    return client


@pytest.fixture
def org(reforms_registry):
    return make_org(reforms_registry)


def make_org(registry) -> Tree:
    """LAN > its deputy for administrative innovation; Jambi > Tanjabbar > 22 work units (+ an inactive one);
    and Tanjabtim, another regency."""
    tree = Tree(registry)
    tree.add("lan", "institution")
    tree.add("lan_dia", "work_unit", "lan")
    tree.add("jambi", "province")
    tree.add("tanjabbar", "regency", "jambi")
    for n in range(1, 23):
        tree.add(f"unit{n:02d}", "work_unit", "tanjabbar")
    tree.add("closed", "work_unit", "tanjabbar")
    tree.deactivate("closed")
    tree.add("tanjabtim", "regency", "jambi")
    tree.add("tanjabtim_unit", "work_unit", "tanjabtim")
    return tree


class Indicators:
    """Indicators in the reforms replica, sent as the indicators service's events would be."""

    def __init__(self, registry):
        self.registry = registry

    def define(self, agency_id: str, status: str = "active", fed_by_reforms=("manajemen_perubahan",)) -> dict:
        snapshot = {"id": unique("ind"), "agency_id": agency_id, "code": unique("IKU"), "name": "Indeks budaya kerja",
                    "unit": "activities", "polarity": "higher_is_better", "frequency": "annual", "category": "IKU",
                    "weight": 1.0, "status": "active", "parent_indicator_id": None,
                    "fed_by_reforms": list(fed_by_reforms)}
        self._send(INDICATOR_DEFINED, snapshot, 1)
        if status == "retired":
            snapshot = {**snapshot, "status": "retired"}
            self._send(INDICATOR_RETIRED, snapshot, 2)
        return snapshot

    def _send(self, contract, snapshot, sequence) -> None:
        event = contract.build(source="indicators", subject=snapshot["id"], sequence=sequence,
                               data={"indicator": snapshot})
        deliver(self.registry, [Event.from_dict(event.to_dict())])


@pytest.fixture
def indicators(reforms_registry):
    return Indicators(reforms_registry)


def plan(ref, organiser: str, headers=None, **fields) -> dict:
    response = ref.post("/api/v1/activities", json={**FGD, "organiser_agency_id": organiser, **fields},
                        headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def pending_events(collection, aggregate_id: str) -> list[dict]:
    """The events an aggregate has waiting for the relay (no relay runs in these tests): type and data."""
    doc = collection.find_one({"_id": aggregate_id}, {"outbox": 1})
    return [{"id": e["event"]["id"], "type": e["event"]["type"], "data": e["event"]["data"]}
            for e in (doc or {}).get("outbox", [])]


def people(org, units: range, prefix: str = "Pimpinan") -> list[dict]:
    return [{"agency_id": org[f"unit{n:02d}"], "name": f"{prefix} {n:02d}", "position": f"Kepala SKPD {n:02d}"}
            for n in units]
