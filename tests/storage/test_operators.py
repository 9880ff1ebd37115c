"""Query and update operators the code uses, each checked for the exact answer it relies on."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from pymongo import UpdateOne


def test_pull_with_a_condition_removes_exactly_the_matching_subdocuments(coll):
    coll.insert_one({"_id": 1, "outbox": [{"id": "a", "n": 1}, {"id": "b", "n": 2}, {"id": "c", "n": 3}]})
    coll.update_one({"_id": 1}, {"$pull": {"outbox": {"id": {"$in": ["a", "c"]}}}})
    assert coll.find_one({"_id": 1})["outbox"] == [{"id": "b", "n": 2}]


def test_pull_all_removes_exact_subdocuments_only(coll):
    coll.insert_one({"_id": 1, "audit": [{"_id": "x", "v": 1}, {"_id": "y", "v": 2}]})
    coll.update_one({"_id": 1}, {"$pullAll": {"audit": [{"_id": "x", "v": 1}, {"_id": "y", "v": 999}]}})
    assert coll.find_one({"_id": 1})["audit"] == [{"_id": "y", "v": 2}]


def test_push_each_appends_in_order(coll):
    coll.insert_one({"_id": 1, "outbox": [{"id": "a"}]})
    coll.update_one({"_id": 1}, {"$push": {"outbox": {"$each": [{"id": "b"}, {"id": "c"}]}}})
    assert [e["id"] for e in coll.find_one({"_id": 1})["outbox"]] == ["a", "b", "c"]


def test_array_index_exists_bounds_an_array_in_the_filter(coll):
    """How a write is refused when an outbox already holds its maximum number of entries."""
    coll.insert_many([{"_id": 1, "outbox": []}, {"_id": 2, "outbox": [{"id": "a"}]},
                      {"_id": 3, "outbox": [{"id": "a"}, {"id": "b"}]}])
    assert sorted(d["_id"] for d in coll.find({"outbox.0": {"$exists": False}})) == [1]
    assert sorted(d["_id"] for d in coll.find({"outbox.1": {"$exists": False}})) == [1, 2]
    result = coll.update_one({"_id": 3, "outbox.1": {"$exists": False}}, {"$push": {"outbox": {"id": "c"}}})
    assert result.matched_count == 0 and len(coll.find_one({"_id": 3})["outbox"]) == 2


def test_update_of_an_array_element_by_index_guarded_by_its_id(coll):
    coll.insert_one({"_id": 1, "outbox": [{"id": "a", "attempts": 0}, {"id": "b", "attempts": 0}]})
    assert coll.update_one({"_id": 1, "outbox.0.id": "a"}, {"$set": {"outbox.0.attempts": 3}}).modified_count == 1
    assert coll.update_one({"_id": 1, "outbox.0.id": "b"}, {"$set": {"outbox.0.attempts": 9}}).matched_count == 0
    assert [e["attempts"] for e in coll.find_one({"_id": 1})["outbox"]] == [3, 0]


def test_min_sets_a_missing_date_keeps_the_earlier_and_keeps_null(coll):
    """The relay's due time: a write makes a waiting document due now, never later; a blocked one
    (null) stays blocked."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    later = now + timedelta(minutes=5)
    coll.insert_many([{"_id": "missing"}, {"_id": "later", "due": later}, {"_id": "earlier", "due": now - timedelta(1)},
                      {"_id": "blocked", "due": None}])
    coll.update_many({}, {"$min": {"due": now}})
    due = {d["_id"]: d.get("due") for d in coll.find()}
    assert due == {"missing": now.replace(tzinfo=None), "later": now.replace(tzinfo=None),
                   "earlier": (now - timedelta(1)).replace(tzinfo=None), "blocked": None}
    assert sorted(d["_id"] for d in coll.find({"due": {"$lte": now}})) == ["earlier", "later", "missing"]


def test_ordered_bulk_write_applies_in_order(coll):
    coll.insert_one({"_id": 1, "outbox": [{"id": "a"}], "pending": True})
    coll.bulk_write([UpdateOne({"_id": 1}, {"$pull": {"outbox": {"id": {"$in": ["a"]}}}}),
                     UpdateOne({"_id": 1, "outbox.0": {"$exists": False}}, {"$set": {"pending": False}})], ordered=True)
    assert coll.find_one({"_id": 1}) == {"_id": 1, "outbox": [], "pending": False}


def test_array_membership_and_depth_queries_on_paths(coll):
    """Subtree scope (`path` contains an id) and depth limits (`path.N` does not exist)."""
    coll.insert_many([{"_id": "root", "path": []}, {"_id": "a", "path": ["root"]}, {"_id": "b", "path": ["root", "a"]},
                      {"_id": "c", "path": ["root", "a", "b"]}])
    assert sorted(d["_id"] for d in coll.find({"path": "a"})) == ["b", "c"]
    assert sorted(d["_id"] for d in coll.find({"path": "root", "path.2": {"$exists": False}})) == ["a", "b"]
    scope = {"$or": [{"_id": "a"}, {"path": "a"}]}
    assert sorted(d["_id"] for d in coll.find(scope)) == ["a", "b", "c"]


def test_case_insensitive_search_on_escaped_text(coll):
    coll.insert_many([{"_id": 1, "name": "Dinas Kesehatan"}, {"_id": 2, "name": "DINAS PU (Bina Marga)"},
                      {"_id": 3, "name": "Bappeda"}])
    assert sorted(d["_id"] for d in coll.find({"name": {"$regex": re.escape("dinas"), "$options": "i"}})) == [1, 2]
    assert [d["_id"] for d in coll.find({"name": {"$regex": re.escape("pu (bina"), "$options": "i"}})] == [2]


def test_sort_skip_limit_and_count(coll):
    coll.insert_many([{"_id": i, "code": f"{i:03d}", "kind": i % 2} for i in range(25)])
    page = [d["_id"] for d in coll.find({"kind": 1}).sort([("code", -1), ("_id", 1)]).skip(5).limit(5)]
    assert page == [13, 11, 9, 7, 5]
    assert coll.count_documents({"kind": 1}) == 12


def test_group_sum_counts_documents(coll):
    coll.insert_many([{"area": "a", "n": 2}, {"area": "a", "n": 3}, {"area": "b", "n": 5}])
    groups = {g["_id"]: (g["count"], g["total"]) for g in coll.aggregate(
        [{"$group": {"_id": "$area", "count": {"$sum": 1}, "total": {"$sum": "$n"}}}])}
    assert groups == {"a": (2, 5), "b": (1, 5)}


def test_creating_the_same_index_twice_is_a_no_op(coll):
    first = coll.create_index([("parent_id", 1)], background=False)
    second = coll.create_index([("parent_id", 1)], background=False)
    assert first == second == "parent_id_1"
    assert "parent_id_1" in coll.index_information()


def test_an_update_pipeline_filters_arrays_and_removes_a_field_on_a_condition(coll):
    """The relay's removal: one write per document drops the acknowledged events and the moved audit records,
    and the due time of a document left with no event (shared.store.relay)."""
    coll.insert_many([{"_id": "two", "outbox": [{"id": "a"}, {"id": "b"}], "audit_pending": [{"_id": "r"}], "due": 1},
                      {"_id": "one", "outbox": [{"id": "c"}], "due": 1}])
    coll.update_many({"_id": {"$in": ["two", "one"]}}, [
        {"$set": {"outbox": {"$filter": {"input": {"$ifNull": ["$outbox", []]},
                                         "cond": {"$not": [{"$in": ["$$this.id", ["a", "c"]]}]}}},
                  "audit_pending": {"$filter": {"input": {"$ifNull": ["$audit_pending", []]},
                                                "cond": {"$not": [{"$in": ["$$this._id", ["r"]]}]}}}}},
        {"$set": {"due": {"$cond": [{"$and": [{"$eq": [{"$size": "$outbox"}, 0]}, {"$eq": [{"$size": "$audit_pending"}, 0]}]},
                                    "$$REMOVE", "$due"]}}}])
    assert coll.find_one({"_id": "two"}) == {"_id": "two", "outbox": [{"id": "b"}], "audit_pending": [], "due": 1}
    assert coll.find_one({"_id": "one"}) == {"_id": "one", "outbox": [], "audit_pending": []}
