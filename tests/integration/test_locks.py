"""Concurrent writers on one aggregate document lose nothing, on MongoDB and on FerretDB (whose
single-document updates are not atomic without shared.locks)."""
from __future__ import annotations

import threading

import pytest

from shared.events.envelope import new_event
from shared.locks import document_lock, locking_enabled, try_lock_many, unlock_many
from shared.outbox import OutboxRelay, change_with_event
from tests.support.kafka_tools import unique


class _NoKafka:
    """The relay's producer for this test: every send is acknowledged at once (no broker needed,
    the point is what happens in MongoDB)."""

    class _Done:
        is_done = True

        def failed(self):
            return False

    def send(self, *args, **kwargs):
        return self._Done()

    def flush(self, timeout=None):
        return None


def increment(collection, doc_id, times, lost):
    for _ in range(times):
        for _attempt in range(200):
            doc = collection.find_one({"_id": doc_id}, {"n": 1, "version": 1})
            event = new_event(type="test.incremented.v1", source="test", subject=doc_id,
                              sequence=doc["version"] + 1, data={"n": doc["n"] + 1})
            if change_with_event(collection, doc_id, doc["version"], {"n": doc["n"] + 1}, event):
                break
        else:
            lost.append(1)


def test_concurrent_writers_and_the_relay_lose_no_update_and_no_event(mongo_db):
    collection = mongo_db["lock_test"]
    doc_id = unique("counter")
    collection.insert_one({"_id": doc_id, "n": 0, "version": 0, "outbox": [], "outbox_pending": False})
    relay = OutboxRelay([collection], _NoKafka(), "unused")
    relayed, lost, stop = [], [], threading.Event()

    def relay_loop():
        while not stop.is_set():
            relayed.append(relay.relay_once())

    writers = [threading.Thread(target=increment, args=(collection, doc_id, 40, lost)) for _ in range(3)]
    relayer = threading.Thread(target=relay_loop)
    relayer.start()
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    stop.set()
    relayer.join()
    relay.relay_once()
    doc = collection.find_one({"_id": doc_id})
    assert lost == []
    assert doc["n"] == 120 and doc["version"] == 120
    assert doc["outbox"] == [] and sum(relayed) >= 120  # every event went through the relay (some twice)


def test_a_held_lock_is_not_taken_twice_and_is_released(mongo_db):
    collection = mongo_db["lock_test"]
    if not locking_enabled(mongo_db):
        pytest.skip("a real mongod: updates are atomic and no lock is taken")
    doc_id = unique("doc")
    with document_lock(collection, doc_id):
        assert try_lock_many(collection, [doc_id]) == []
    assert try_lock_many(collection, [doc_id]) == [doc_id]
    unlock_many(collection, [doc_id])
