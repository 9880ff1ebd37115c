"""The AsyncAPI 3.0 document: valid against the AsyncAPI 3.0.0 JSON schema, and exactly the contract registry
(every type a message with its data schema, every topic a channel, every handler a receive operation)."""
from __future__ import annotations

import copy

import jsonschema_rs
import pytest

from shared.asyncapi import data_schema, document
from shared.catalogue import handled_types
from shared.events.contracts import all_contracts
from services.registry import SERVICES
from tests.support.asyncapi_schema import asyncapi_3_schema


@pytest.fixture(scope="module")
def validator():
    return jsonschema_rs.Draft7Validator(asyncapi_3_schema())


def test_the_document_is_valid_asyncapi_3(validator):
    errors = [f"{list(e.instance_path)}: {e.message[:200]}" for e in validator.iter_errors(document(SERVICES.values()))]
    assert errors == []


def test_the_validator_does_refuse_a_broken_document(validator):
    broken = copy.deepcopy(document(SERVICES.values()))
    broken["operations"]["agencies.publishes"]["action"] = "publish"  # AsyncAPI 2 wording
    assert not validator.is_valid(broken)


def test_every_contract_is_a_message_on_its_topic_with_its_data_schema():
    doc = document(SERVICES.values(), namespace="ns_")
    contracts = all_contracts()
    assert sorted(doc["components"]["messages"]) == sorted(c.type for c in contracts)
    for contract in contracts:
        message = doc["components"]["messages"][contract.type]
        assert message["payload"]["properties"]["type"]["const"] == contract.type
        assert message["payload"]["properties"]["data"] == data_schema(contract)
        assert message["contentType"] == "application/cloudevents+json"
        assert message["bindings"]["kafka"]["key"]["type"] == "string"
        channel = doc["channels"][contract.topic]
        assert channel["address"] == f"ns_kinerja.{contract.topic}"
        assert channel["messages"][contract.type] == {"$ref": f"#/components/messages/{contract.type}"}


def test_operations_are_what_each_worker_publishes_and_handles():
    doc = document(SERVICES.values())
    for service in SERVICES.values():
        spec = service.spec
        sent = doc["operations"].get(f"{spec.name}.publishes")
        assert (sent is not None) == spec.produces
        received = {ref["$ref"].rsplit("/", 1)[1] for key, op in doc["operations"].items()
                    if key.startswith(f"{spec.name}.receives.") for ref in op["messages"]}
        assert received == set(handled_types(service))
