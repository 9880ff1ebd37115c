"""MessageProcessor logic with fake messages and an in-memory dead-letter sink (no I/O)."""
from dataclasses import dataclass, field

import pytest
from kafka.errors import KafkaTimeoutError
from pymongo.errors import NetworkTimeout, ServerSelectionTimeoutError

from shared.contracts.agencies import AGENCY_REGISTERED
from shared.errors import Unavailable
from shared.events.handlers import HandlerRegistry
from shared.events.processing import DeadLetterGuard, DeadLetterStorm, MessageProcessor, RetryLater
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
    processor = MessageProcessor(registry, lambda m, reason, error: dead.append((reason, error)), **options)
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


def test_handler_failure_asks_for_retries_with_backoff_then_dead_letters():
    calls = []

    def failing(event, data):
        calls.append(1)
        raise ValueError("bad data")

    processor, dead = processor_with(failing, max_retries=3, backoff_s=0.1)
    outcomes = [processor.process(valid_message(), attempt) for attempt in range(4)]
    assert outcomes[:3] == [RetryLater(0.1, "handler failed"), RetryLater(0.2, "handler failed"),
                            RetryLater(0.4, "handler failed")]
    assert outcomes[3] == "dead_lettered"
    assert len(calls) == 4
    assert dead[0][0] == "handler_failed" and "bad data" in dead[0][1]


def test_backoff_is_capped():
    processor, _ = processor_with(lambda e, d: None, backoff_s=1.0, max_backoff_s=5.0)
    assert [processor.backoff(a) for a in range(6)] == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0]


@pytest.mark.parametrize("error", [ServerSelectionTimeoutError("no servers"), NetworkTimeout("slow"),
                                   KafkaTimeoutError("metadata"), TimeoutError("socket"),
                                   Unavailable("outbox full")])
def test_infrastructure_errors_are_retried_forever_and_never_dead_lettered(error):
    def down(event, data):
        raise error

    processor, dead = processor_with(down, max_retries=3, backoff_s=0.1, max_backoff_s=2.0)
    outcomes = [processor.process(valid_message(), attempt) for attempt in (0, 3, 50)]
    assert [o.delay_s for o in outcomes] == [0.1, 0.8, 2.0]
    assert all(o.reason.startswith("infrastructure") for o in outcomes)
    assert dead == []


def test_a_dead_letter_that_cannot_be_stored_is_retried_not_lost():
    registry = HandlerRegistry()
    registry.on(AGENCY_REGISTERED, lambda e, d: None)

    def broken_sink(message, reason, error):
        raise KafkaTimeoutError("dead-letter topic unreachable")

    processor = MessageProcessor(registry, broken_sink, backoff_s=0.1)
    outcome = processor.process(FakeMessage(b"{oops"))
    assert isinstance(outcome, RetryLater) and "dead-letter topic unavailable" in outcome.reason


def test_the_guard_stops_a_consumer_that_dead_letters_too_much():
    processor, dead = processor_with(lambda e, d: None,
                                     guard=DeadLetterGuard(max_share=0.5, window=10, min_messages=10))
    for _ in range(5):
        assert processor.process(valid_message()) == "handled"
    for _ in range(5):  # 5 of 10 is not more than half
        assert processor.process(FakeMessage(b"{oops")) == "dead_lettered"
    with pytest.raises(DeadLetterStorm, match="6 of the last 10 messages were dead-lettered"):
        processor.process(FakeMessage(b"{oops"))


def test_the_guard_waits_for_enough_messages_and_forgets_old_ones():
    guard = DeadLetterGuard(max_share=0.5, window=4, min_messages=4)
    for dead in (True, True, True):
        guard.observe(dead)  # 3 of 3, but fewer than min_messages
    with pytest.raises(DeadLetterStorm):
        guard.observe(False)  # 3 of 4
    guard = DeadLetterGuard(max_share=0.5, window=4, min_messages=4)
    for _ in range(10):
        guard.observe(False)
    guard.observe(True)
    guard.observe(True)  # 2 of the last 4: not more than half
    with pytest.raises(DeadLetterStorm):
        guard.observe(True)


def test_a_type_may_have_several_handlers_run_in_order_but_each_only_once():
    calls = []
    registry = HandlerRegistry()

    def replica(event, data):
        calls.append("replica")

    registry.on(AGENCY_REGISTERED, replica)
    registry.on(AGENCY_REGISTERED, lambda e, d: calls.append("scores"))
    with pytest.raises(ValueError):
        registry.on(AGENCY_REGISTERED, replica)
    assert MessageProcessor(registry, lambda *a: None).process(valid_message()) == "handled"
    assert calls == ["replica", "scores"]
