"""MessageProcessor logic with fake messages and an in-memory dead-letter sink (no I/O)."""
from dataclasses import dataclass, field

import pytest
from pymongo.errors import ServerSelectionTimeoutError

from shared.contracts.agencies import AGENCY_REGISTERED
from shared.events.consumer import HandlerRegistry, MessageProcessor
from shared.events.envelope import new_event


@dataclass
class FakeMessage:
    value: bytes | None
    topic: str = "agencies.events"
    partition: int = 0
    offset: int = 0
    key: bytes | None = b"k"
    headers: list = field(default_factory=list)


def snapshot(agency_id="a1"):
    return {"id": agency_id, "code": "C", "name": "N", "type": "province", "parent_id": None, "path": [],
            "status": "active"}


def valid_message():
    return FakeMessage(AGENCY_REGISTERED.build(source="agencies", subject="a1", sequence=1,
                                               data={"agency": snapshot()}).to_json())


def processor_with(handler, **options):
    registry = HandlerRegistry()
    registry.on(AGENCY_REGISTERED, handler)
    dead = []
    processor = MessageProcessor(registry, lambda m, reason, error: dead.append((reason, error)),
                                 sleep=lambda s: None, **options)
    return processor, dead


def test_valid_event_reaches_its_handler_with_validated_data():
    seen = []
    processor, dead = processor_with(lambda event, data: seen.append((event.subject, data["agency"]["code"])))
    assert processor.process(valid_message()) == "handled"
    assert seen == [("a1", "C")] and dead == []


def test_unknown_fields_in_data_are_ignored_by_the_contract():
    seen = []
    processor, dead = processor_with(lambda event, data: seen.append(data))
    message = FakeMessage(new_event(type=AGENCY_REGISTERED.type, source="agencies", subject="a1", sequence=1,
                                    data={"agency": {**snapshot(), "added_in_v1_1": True}, "extra": 1}).to_json())
    assert processor.process(message) == "handled"
    assert "added_in_v1_1" not in seen[0]["agency"] and "extra" not in seen[0]


def test_unknown_type_is_skipped():
    processor, dead = processor_with(lambda e, d: pytest.fail("must not be called"))
    message = FakeMessage(new_event(type="kinerja.unknown.v1", source="x", subject="s", sequence=1, data={}).to_json())
    assert processor.process(message) == "skipped"
    assert dead == []


def test_unparseable_message_is_dead_lettered():
    processor, dead = processor_with(lambda e, d: None)
    assert processor.process(FakeMessage(b"{oops")) == "dead_lettered"
    assert dead[0][0] == "unparseable"


def test_contract_violation_is_dead_lettered_without_retry():
    calls = []
    processor, dead = processor_with(lambda e, d: calls.append(1))
    message = FakeMessage(new_event(type=AGENCY_REGISTERED.type, source="agencies", subject="a1", sequence=1,
                                    data={"agency": {"id": "a1"}}).to_json())
    assert processor.process(message) == "dead_lettered"
    assert dead[0][0] == "contract_violation" and calls == []


def test_handler_failure_is_retried_with_backoff_then_dead_lettered():
    calls, sleeps = [], []

    def failing(event, data):
        calls.append(1)
        raise ValueError("bad data")

    registry = HandlerRegistry()
    registry.on(AGENCY_REGISTERED, failing)
    dead = []
    processor = MessageProcessor(registry, lambda m, r, e: dead.append((r, e)), max_retries=3, backoff_s=0.1,
                                 sleep=sleeps.append)
    assert processor.process(valid_message()) == "dead_lettered"
    assert len(calls) == 4
    assert sleeps == [0.1, 0.2, 0.4]
    assert dead[0][0] == "handler_failed" and "bad data" in dead[0][1]


def test_database_outage_is_not_the_message_fault():
    def down(event, data):
        raise ServerSelectionTimeoutError("no servers")

    processor, dead = processor_with(down)
    with pytest.raises(ServerSelectionTimeoutError):
        processor.process(valid_message())
    assert dead == []


def test_a_type_has_one_handler():
    registry = HandlerRegistry()
    registry.on(AGENCY_REGISTERED, lambda e, d: None)
    with pytest.raises(ValueError):
        registry.on(AGENCY_REGISTERED, lambda e, d: None)
