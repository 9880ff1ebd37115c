"""Idempotent projections on real MongoDB."""
from shared.projections import apply_if_newer
from tests.support.kafka_tools import unique


def test_same_sequence_twice_applies_once(mongo_db):
    collection = mongo_db["projection_test"]
    key = unique("agency")
    assert apply_if_newer(collection, key, 1, {"name": "first"}) is True
    assert apply_if_newer(collection, key, 1, {"name": "duplicate delivery"}) is False
    assert collection.find_one({"_id": key}) == {"_id": key, "name": "first", "sequence": 1,
                                                "events_applied": 1}


def test_older_sequence_after_newer_is_ignored(mongo_db):
    collection = mongo_db["projection_test"]
    key = unique("agency")
    assert apply_if_newer(collection, key, 3, {"name": "third"})
    assert not apply_if_newer(collection, key, 2, {"name": "second, late"})
    assert apply_if_newer(collection, key, 4, {"name": "fourth"})
    stored = collection.find_one({"_id": key})
    assert stored["name"] == "fourth" and stored["events_applied"] == 2
    assert collection.count_documents({"_id": key}) == 1
