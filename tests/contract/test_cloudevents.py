"""Every event type we emit is read by the standard CloudEvents SDK (`cloudevents`, a test dependency only)
as a complete structured-mode event, from the Kafka message exactly as our relay sends it: the envelope
as the value, the aggregate id as the key, `content-type: application/cloudevents+json`, no `ce_*` headers."""
from __future__ import annotations

import json

import pytest
from cloudevents.core.bindings.kafka import KafkaMessage, from_kafka_event

import shared.contracts  # noqa: F401 - registers every contract
from shared.asyncapi import data_schema
from shared.events.contracts import all_contracts
from shared.events.kafka import kafka_record


def example(schema: dict):
    """A value satisfying a JSON schema of our contracts (objects, arrays, enums, nullable types)."""
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "string")
    kind = next(k for k in kind if k != "null") if isinstance(kind, list) else kind
    if kind == "object":
        return {name: example(sub) for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [example(schema.get("items", {}))]
    return {"string": "x-1", "integer": 3, "number": 2.5, "boolean": True}[kind]


@pytest.mark.parametrize("contract", all_contracts(), ids=lambda c: c.type)
def test_the_sdk_reads_every_type_as_a_complete_structured_event(contract):
    data = example(data_schema(contract))
    event = contract.build(source="reforms", subject="aggregate-7", sequence=4, data=data)
    key, value, headers = kafka_record(event.to_dict())
    parsed = from_kafka_event(KafkaMessage(headers=dict(headers), key=key, value=value))
    assert not any(name.lower().startswith("ce_") for name, _ in headers)  # else readers take it for binary mode
    assert (parsed.get_id(), parsed.get_type(), parsed.get_source(), parsed.get_subject()) == (
        event.id, contract.type, "reforms", "aggregate-7")
    assert parsed.get_specversion() == "1.0"
    assert parsed.get_extension("sequence") == 4
    assert parsed.get_data() == json.loads(value)["data"] == data
