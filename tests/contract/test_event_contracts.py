"""Every event a producer builds satisfies the contract every consumer validates against."""
import pytest

import shared.contracts  # noqa: F401 - registers every contract
from shared.contracts.agencies import AGENCY_REGISTERED
from shared.events.contracts import ContractViolation, all_contracts, contract_for
from shared.events.envelope import Event
from services.agencies.adapters.documents import Agency, Head


def test_every_type_is_versioned_and_documented():
    contracts = all_contracts()
    assert contracts
    for contract in contracts:
        assert contract.type.startswith("kinerja.") and contract.type.rsplit(".", 1)[-1].startswith("v")
        assert contract.description and contract.topic.endswith(".events")
        assert contract_for(contract.type) is contract


def test_the_agencies_producer_snapshot_satisfies_the_registered_contract():
    agency = Agency(code="1506", name="Pemkab Tanjung Jabung Barat", type="regency", parent_id="jambi",
                    path=["jambi"], head=Head(name="H. Mukhlis", title="Sekretaris Daerah"))
    event = AGENCY_REGISTERED.build(source="agencies", subject=agency.id, sequence=1, data={"agency": agency.snapshot()})
    consumed = AGENCY_REGISTERED.validate(Event.from_json(event.to_json()).data)
    assert consumed["agency"] == agency.snapshot()


def test_producer_refuses_to_build_an_event_that_breaks_its_contract():
    with pytest.raises(ContractViolation):
        AGENCY_REGISTERED.build(source="agencies", subject="a", sequence=1, data={"agency": {"id": "a"}})


def test_additive_fields_do_not_break_consumers():
    data = {"agency": {"id": "a", "code": "C", "name": "N", "type": "province", "parent_id": None, "path": [],
                       "status": "active", "region_code": "15"}, "note": "added later"}
    assert AGENCY_REGISTERED.validate(data)["agency"]["code"] == "C"
