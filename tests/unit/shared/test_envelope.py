import json
import uuid

import pytest

from shared.events.envelope import Event, MalformedEvent, new_event
from shared.logging import reset_correlation_id, set_correlation_id


def test_new_event_is_a_cloudevent_with_sequence_and_correlation():
    token = set_correlation_id("corr-1")
    try:
        event = new_event(type="kinerja.agency.registered.v1", source="agencies", subject="a1", sequence=1,
                          data={"x": 1})
    finally:
        reset_correlation_id(token)
    raw = json.loads(event.to_json())
    assert raw["specversion"] == "1.0"
    assert uuid.UUID(raw["id"])
    assert raw["time"].endswith("+00:00")
    assert raw["correlationid"] == "corr-1"
    assert raw["datacontenttype"] == "application/json"
    assert Event.from_json(event.to_json()) == event


def test_unknown_envelope_fields_are_ignored():
    event = new_event(type="t.v1", source="s", subject="a", sequence=2, data={})
    raw = {**event.to_dict(), "partitionkey": "a", "traceparent": "00-abc"}
    assert Event.from_dict(raw) == event


@pytest.mark.parametrize("payload", [
    None, b"", b"\xff\xfe", b"not json", b"[]", b'"a string"',
    b'{"specversion": "1.0"}',
    b'{"specversion": "0.3", "id": "6f1c8b02-7c55-4b59-a9a6-0d5a3cf2b0c1", "type": "t", "source": "s", '
    b'"subject": "a", "time": "2026-01-01T00:00:00+00:00", "sequence": 1, "data": {}}',
])
def test_malformed_payloads_are_refused(payload):
    with pytest.raises(MalformedEvent):
        Event.from_json(payload)


def test_sequence_must_be_a_positive_integer():
    raw = new_event(type="t.v1", source="s", subject="a", sequence=1, data={}).to_dict()
    for bad in (0, -1, "1", 1.5):
        with pytest.raises(MalformedEvent):
            Event.from_dict({**raw, "sequence": bad})
