"""Every event a producer builds satisfies the contract every consumer validates against."""
import pytest

import shared.contracts  # noqa: F401 - registers every contract
from shared.contracts.agencies import (AGENCY_DEACTIVATED, AGENCY_MOVED, AGENCY_PATH_CHANGED, AGENCY_REACTIVATED,
                                      AGENCY_REGISTERED, AGENCY_UPDATED)
from shared.events.contracts import ContractViolation, all_contracts, contract_for
from shared.events.envelope import Event
from services.agencies.domain.agency import snapshot_of


def test_every_type_is_versioned_and_documented():
    contracts = all_contracts()
    assert contracts
    for contract in contracts:
        assert contract.type.startswith("kinerja.") and contract.type.rsplit(".", 1)[-1].startswith("v")
        assert contract.description and contract.topic.endswith(".events")
        assert contract_for(contract.type) is contract


STORED_AGENCY = {"id": "a-1506", "code": "1506", "name": "Pemkab Tanjung Jabung Barat", "short_name": None,
                 "type": "regency", "parent_id": "jambi", "path": ["jambi"], "status": "active",
                 "head": {"name": "H. Mukhlis", "title": "Sekretaris Daerah"}, "version": 4}


@pytest.mark.parametrize("contract, extra", [
    (AGENCY_REGISTERED, {}),
    (AGENCY_UPDATED, {"changed": ["name"]}),
    (AGENCY_MOVED, {"old_parent_id": "riau", "new_parent_id": "jambi", "reason": "pemekaran"}),
    (AGENCY_PATH_CHANGED, {"moved_ancestor_id": "jambi"}),
    (AGENCY_DEACTIVATED, {"reason": "merged"}),
    (AGENCY_REACTIVATED, {"reason": None}),
])
def test_the_agencies_producer_snapshot_satisfies_every_contract(contract, extra):
    snapshot = snapshot_of(STORED_AGENCY)
    event = contract.build(source="agencies", subject="a-1506", sequence=5, data={"agency": snapshot, **extra})
    consumed = contract.validate(Event.from_json(event.to_json()).data)
    assert consumed["agency"] == snapshot


def test_producer_refuses_to_build_an_event_that_breaks_its_contract():
    with pytest.raises(ContractViolation):
        AGENCY_REGISTERED.build(source="agencies", subject="a", sequence=1, data={"agency": {"id": "a"}})


def test_additive_fields_do_not_break_consumers():
    data = {"agency": {"id": "a", "code": "C", "name": "N", "type": "province", "parent_id": None, "path": [],
                       "status": "active", "region_code": "15"}, "note": "added later"}
    assert AGENCY_REGISTERED.validate(data)["agency"]["code"] == "C"


def test_every_consumer_subscribes_to_exactly_the_topics_its_spec_names():
    from services.registry import SERVICES
    from tests.support.fakes import fake_repository

    for service in SERVICES.values():
        registry = service.handlers(fake_repository(service))
        assert registry.topics() == set(service.spec.consumes), service.name


def test_every_event_on_a_replicated_topic_carries_the_snapshot_its_replica_applies():
    """A new agency event without the snapshot would be skipped by the replicas: refused here instead."""
    from shared.replicas.agencies import agency_replica

    replica = agency_replica(None)
    assert {c.type for c in replica.contracts()} == {c.type for c in all_contracts() if c.topic == replica.topic}


def test_a_replica_refuses_to_start_when_a_contract_lacks_its_snapshot():
    from marshmallow import fields as ma_fields

    from shared.events.contracts import ContractSchema, EventContract
    from shared.replicas.snapshots import SnapshotReplica

    class Merged(ContractSchema):
        absorbed_ids = ma_fields.List(ma_fields.String())

    merged = EventContract(type="kinerja.agency.merged.v1", schema=Merged, topic="agencies.events", description="x")
    replica = SnapshotReplica(None, "agencies.events", "agency", contracts=lambda: [*all_contracts(), merged])
    with pytest.raises(ValueError, match="merged"):
        replica.contracts()


def test_the_readme_catalogue_is_generated_from_the_contracts():
    from pathlib import Path

    from shared.catalogue import markdown, readme_section
    from services.registry import SERVICES

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert readme_section(readme) == markdown(SERVICES.values()), "the README's event catalogue is stale: run `make catalogue`"
