"""The event catalogue as an AsyncAPI 3.0 document, generated from the contract registry, the service specs
and the handlers each service's worker registers — the same sources as the README's catalogue
(shared.catalogue), so the two cannot disagree.

- a channel per topic (`agencies.events` → address `<namespace>kinerja.agencies.events`), with the Kafka
  binding; its messages are the event types produced on it;
- a message per event type: the CloudEvents envelope in structured mode (content type
  `application/cloudevents+json`, no `ce_*` headers) whose `data` is the contract's JSON schema, and the
  Kafka binding of its key (the aggregate id, also the envelope's `subject`);
- operations: each service sends on its own topic and receives the types it handles.

Every service serves the whole document at /api/v1/asyncapi.json; `kinerja events catalogue --asyncapi`
prints it.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

import shared.contracts  # noqa: F401 - registers every contract
from shared.catalogue import handled_types, producer_of
from shared.events.contracts import EventContract, all_contracts
from shared.events.envelope import SPEC_VERSION
from shared.events.kafka import CLOUDEVENTS_CONTENT_TYPE
from shared.service import Service

ASYNCAPI_VERSION = "3.0.0"
KAFKA_BINDING_VERSION = "0.5.0"
CONTENT_TYPE = CLOUDEVENTS_CONTENT_TYPE.decode()


@lru_cache(maxsize=1)
def _converter():
    """marshmallow → JSON Schema (apispec's converter; OpenAPI 3.1 schemas are JSON Schema), nested
    schemas inlined so that each message stands alone."""
    plugin = MarshmallowPlugin(schema_name_resolver=lambda schema: None)
    APISpec(title="kinerja", version="1", openapi_version="3.1.0", plugins=[plugin])
    return plugin.converter


def data_schema(contract: EventContract) -> dict[str, Any]:
    return _converter().schema2jsonschema(contract.schema())


def envelope_schema(contract: EventContract) -> dict[str, Any]:
    """The message payload: the structured-mode CloudEvent carrying this type's data."""
    return {
        "type": "object",
        "required": ["specversion", "id", "type", "source", "subject", "time", "sequence", "data"],
        "properties": {
            "specversion": {"type": "string", "const": SPEC_VERSION},
            "id": {"type": "string", "format": "uuid", "description": "Unique per event; consumers deduplicate by it"},
            "type": {"type": "string", "const": contract.type},
            "source": {"type": "string", "description": "The producing service"},
            "subject": {"type": "string", "description": "The aggregate's id (also the Kafka key)"},
            "time": {"type": "string", "format": "date-time"},
            "datacontenttype": {"type": "string", "const": "application/json"},
            "sequence": {"type": "integer", "minimum": 1,
                         "description": "The aggregate's version after the change (extension attribute)"},
            "correlationid": {"type": ["string", "null"],
                              "description": "The request that caused it (extension attribute)"},
            "data": data_schema(contract),
        },
    }


def document(services: Iterable[Service], *, namespace: str = "", servers: list[str] | None = None) -> dict[str, Any]:
    """The AsyncAPI 3.0 document of every event type and the `services` that send and receive them
    (`namespace` prefixes topic names as deployed)."""
    services = list(services)
    contracts = all_contracts()
    topics = sorted({c.topic for c in contracts})
    messages = {c.type: {
        "name": c.type, "title": c.type, "summary": c.description, "contentType": CONTENT_TYPE,
        "headers": {"type": "object", "properties": {"content-type": {"type": "string", "const": CONTENT_TYPE}}},
        "payload": envelope_schema(c),
        "bindings": {"kafka": {"key": {"type": "string", "description": "The aggregate's id (the event's subject): "
                                                                        "one aggregate's events stay in order"},
                               "bindingVersion": KAFKA_BINDING_VERSION}},
    } for c in contracts}
    channels = {topic: {
        "address": f"{namespace}kinerja.{topic}",
        "title": f"Events of the {producer_of(services, topic) or 'unknown'} service",
        "messages": {c.type: {"$ref": f"#/components/messages/{c.type}"} for c in contracts if c.topic == topic},
        "bindings": {"kafka": {"topic": f"{namespace}kinerja.{topic}", "bindingVersion": KAFKA_BINDING_VERSION}},
    } for topic in topics}
    operations: dict[str, Any] = {}
    for service in services:
        spec = service.spec
        if spec.topic in channels:
            operations[f"{spec.name}.publishes"] = {
                "action": "send", "channel": {"$ref": f"#/channels/{spec.topic}"},
                "summary": f"The {spec.name} service publishes its aggregates' events (outbox relay)",
                "messages": [{"$ref": f"#/channels/{spec.topic}/messages/{c.type}"}
                             for c in contracts if c.topic == spec.topic]}
        handled = handled_types(service)
        for topic in topics:
            received = [c for c in contracts if c.topic == topic and c.type in handled]
            if received:
                operations[f"{spec.name}.receives.{topic}"] = {
                    "action": "receive", "channel": {"$ref": f"#/channels/{topic}"},
                    "summary": f"The {spec.name} worker handles these (other types on the topic are skipped)",
                    "messages": [{"$ref": f"#/channels/{topic}/messages/{c.type}"} for c in received]}
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {"title": "Kinerja events", "version": "1",
                 "description": "Domain events of the Kinerja services: CloudEvents 1.0 in structured mode of the "
                                "Kafka protocol binding. Types are versioned in their name; changes within a "
                                "version are additive; consumers ignore unknown fields and types."},
        "defaultContentType": CONTENT_TYPE,
        "servers": {"kafka": {"host": (servers or ["127.0.0.1:9092"])[0], "protocol": "kafka",
                              "description": "The Kafka cluster (bootstrap server)"}},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


@lru_cache(maxsize=4)
def deployed_document(services: tuple[Service, ...], namespace: str, servers: tuple[str, ...]) -> dict[str, Any]:
    """The document a process serves: the registries do not change while it runs, so it is built once."""
    return document(services, namespace=namespace, servers=list(servers))
