"""What the code relies on for correctness under concurrency: single-document atomicity, unique
indexes and compare-and-set. No multi-document transaction is ever needed."""
from __future__ import annotations

import threading

import pytest
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

DUPLICATE_KEY = 11000


def run_threads(count: int, target) -> None:
    start = threading.Barrier(count)

    def body(index: int) -> None:
        start.wait()
        target(index)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)


def test_inc_is_atomic_under_threads(coll):
    coll.insert_one({"_id": "counter", "n": 0})

    def bump(_):
        for _ in range(250):
            coll.update_one({"_id": "counter"}, {"$inc": {"n": 1}})

    run_threads(8, bump)
    assert coll.find_one({"_id": "counter"})["n"] == 8 * 250


def test_compare_and_set_by_version_has_exactly_one_winner(coll):
    """How every aggregate write is guarded: the expected version is part of the filter."""
    for round_ in range(10):
        coll.insert_one({"_id": round_, "version": 1, "owner": None})
        winners: list[int] = []
        lock = threading.Lock()

        def write(index):
            result = coll.update_one({"_id": round_, "version": 1}, {"$set": {"version": 2, "owner": index}})
            if result.modified_count == 1:
                with lock:
                    winners.append(index)

        run_threads(8, write)
        assert len(winners) == 1
        assert coll.find_one({"_id": round_}) == {"_id": round_, "version": 2, "owner": winners[0]}


def test_find_one_and_update_hands_out_distinct_values(coll):
    coll.insert_one({"_id": "seq", "n": 0})
    seen: list[int] = []
    lock = threading.Lock()

    def take(_):
        mine = [coll.find_one_and_update({"_id": "seq"}, {"$inc": {"n": 1}}, return_document=ReturnDocument.AFTER)["n"]
                for _ in range(100)]
        with lock:
            seen.extend(mine)

    run_threads(8, take)
    assert sorted(seen) == list(range(1, 801))


def test_unique_index_refuses_a_duplicate_insert_and_update_with_11000(coll):
    coll.create_index("code", unique=True)
    coll.insert_many([{"_id": 1, "code": "A"}, {"_id": 2, "code": "B"}])
    with pytest.raises(DuplicateKeyError) as insert_error:
        coll.insert_one({"_id": 3, "code": "A"})
    assert insert_error.value.code == DUPLICATE_KEY
    with pytest.raises(DuplicateKeyError) as update_error:
        coll.update_one({"_id": 2}, {"$set": {"code": "A"}})
    assert update_error.value.code == DUPLICATE_KEY
    assert sorted(d["code"] for d in coll.find()) == ["A", "B"]


def test_concurrent_inserts_of_one_unique_key_have_one_winner(coll):
    coll.create_index([("consumer", 1), ("event_id", 1)], unique=True)
    outcomes: list[str] = []
    lock = threading.Lock()

    def insert(index):
        try:
            coll.insert_one({"consumer": "c", "event_id": "e", "by": index})
            outcome = "inserted"
        except DuplicateKeyError:
            outcome = "duplicate"
        with lock:
            outcomes.append(outcome)

    run_threads(8, insert)
    assert sorted(outcomes) == ["duplicate"] * 7 + ["inserted"]


def test_upsert_guarded_by_an_older_sequence_refuses_stale_events_with_11000(coll):
    """The projection's idempotency: a stale or repeated event's upsert collides with the `_id`."""
    def apply(sequence: int) -> bool:
        try:
            coll.update_one({"_id": "a", "sequence": {"$lt": sequence}},
                            {"$set": {"sequence": sequence}, "$inc": {"applied": 1}}, upsert=True)
            return True
        except DuplicateKeyError:
            return False

    assert [apply(s) for s in (1, 3, 2, 3, 4)] == [True, True, False, False, True]
    assert coll.find_one({"_id": "a"}) == {"_id": "a", "sequence": 4, "applied": 3}


def test_concurrent_projection_of_the_same_events_applies_each_once(coll):
    applied: list[int] = []
    lock = threading.Lock()

    def apply_all(_):
        for sequence in range(1, 51):
            try:
                coll.update_one({"_id": "a", "sequence": {"$lt": sequence}},
                                {"$set": {"sequence": sequence}, "$inc": {"applied": 1}}, upsert=True)
            except DuplicateKeyError:
                continue
            with lock:
                applied.append(sequence)

    run_threads(4, apply_all)
    assert len(applied) == len(set(applied)), "an event was applied twice"
    assert coll.find_one({"_id": "a"}) == {"_id": "a", "sequence": 50, "applied": len(applied)}
