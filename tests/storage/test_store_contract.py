"""The aggregate store's contract (shared.store.aggregates), run on the real server AND on the in-memory
database unit tests use (tests/support/fakes.py), as arroyo runs its backend tests on both: what a command
relies on — the write path with its If-Match rule, compare-and-set under racing writers, duplicates,
the outbox bound, the `expect` guard — behaves the same on either."""
from __future__ import annotations

import threading
import uuid

import pytest

from shared.auth.tokens import Principal
from shared.commands import CommandContext, Kind
from shared.db import client_for
from shared.contracts.agencies import AGENCY_REGISTERED, AGENCY_UPDATED
from shared.errors import Conflict, NotFound, StaleVersion, Unavailable
from shared.store.aggregates import RACE_RETRIES, AggregateStore, Moved
from tests.storage.conftest import MONGO_URI
from tests.support.fakes import fake_database

THING = Kind("agency", lambda s: {k: s.get(k) for k in ("id", "code", "name", "short_name", "type", "parent_id",
                                                         "path", "status")})
CTX = CommandContext(Principal("tester", "admin", "*"))


@pytest.fixture(params=["server", "memory"])
def store(request, storage_db):
    """The store on a collection of the real server (with the client options of shared.db), or in memory."""
    name = f"c{uuid.uuid4().hex[:12]}"
    server = client_for(MONGO_URI)[storage_db.name]
    collection = server[name] if request.param == "server" else fake_database()[name]
    collection.create_index("code", unique=True)
    yield AggregateStore(collection, THING, source="test", internal_fields=("secret",))
    collection.drop()


def new(store, code="X1", **extra) -> dict:
    state = {"id": str(uuid.uuid4()), "code": code, "name": "Dinas", "short_name": None, "type": "work_unit",
             "parent_id": None, "path": [], "status": "active", **extra}
    return store.create(CTX.created(THING, state, AGENCY_REGISTERED, action="register"))


def rename(name):
    return lambda state, _: CTX.changed(THING, state, {"name": name}, AGENCY_UPDATED, action="update",
                                        extra={"changed": ["name"]})


def outbox(store, aggregate_id) -> list[dict]:
    return store.collection.find_one({"_id": aggregate_id})["outbox"]


def test_create_writes_version_1_with_its_event_and_audit_record_and_hides_internal_fields(store):
    created = new(store, secret="kept")
    assert created["version"] == 1 and "secret" not in created and "outbox" not in created
    [entry] = outbox(store, created["id"])
    assert (entry["event"]["type"], entry["event"]["subject"], entry["event"]["sequence"]) == (
        "kinerja.agency.registered.v1", created["id"], 1)
    [record] = store.collection.find_one({"_id": created["id"]})["audit_pending"]
    assert (record["action"], record["entity_id"], record["before"]) == ("register", created["id"], None)
    assert store.get(created["id"], internal=True)["secret"] == "kept"


def test_a_duplicate_unique_value_is_a_conflict_and_writes_nothing(store):
    new(store, "DUP")
    with pytest.raises(Conflict) as duplicate:
        new(store, "DUP")
    assert duplicate.value.kind == "duplicate" and store.count({}) == 1


def test_update_decides_on_the_current_state_and_writes_the_next_version(store):
    created = new(store, secret="internal")
    seen = []

    def decide(state, granted):
        seen.append((state["version"], state["secret"], granted))
        return rename("Dinas Pendidikan")(state, granted)
    updated = store.update(created["id"], decide, access=lambda state: "granted")
    assert (updated["version"], updated["name"]) == (2, "Dinas Pendidikan")
    assert seen == [(1, "internal", "granted")]  # decide sees internal fields, with what access answered
    assert [e["event"]["sequence"] for e in outbox(store, created["id"])] == [1, 2]


def test_nothing_to_write_returns_the_state_without_internal_fields(store):
    created = new(store, secret="kept")
    assert store.update(created["id"], lambda state, _: None) == created


def test_if_match_naming_another_version_is_stale_and_access_is_asked_first(store):
    created = new(store)
    with pytest.raises(StaleVersion) as stale:
        store.update(created["id"], rename("x"), if_match=7)
    assert stale.value.current_version == 1
    refused = []
    with pytest.raises(PermissionError):
        store.update(created["id"], rename("x"), if_match=7, access=lambda s: refused.append(1) or (_ for _ in ()).throw(
            PermissionError("403 before 412")))
    assert refused == [1] and store.get(created["id"])["version"] == 1


def test_a_missing_aggregate_is_not_found_unless_decide_may_create_it(store):
    with pytest.raises(NotFound):
        store.update("nobody", rename("x"))
    state = {"id": "made", "code": "M", "name": "m", "short_name": None, "type": "t", "parent_id": None, "path": [],
             "status": "active"}
    made = store.update("made", lambda current, _: CTX.created(THING, state, AGENCY_REGISTERED, action="register")
                        if current is None else None, create=True)
    assert made["version"] == 1


def test_a_lost_race_without_if_match_is_decided_again_and_with_if_match_is_stale(store):
    created = new(store)

    def racing(state, _):
        if state["version"] == 1:  # someone else writes between our read and our write
            store.update(created["id"], rename("theirs"))
        return CTX.changed(THING, state, {"short_name": "ours"}, AGENCY_UPDATED, action="update", extra={"changed": []})
    after = store.update(created["id"], racing)
    assert (after["version"], after["name"], after["short_name"]) == (3, "theirs", "ours")
    with pytest.raises(StaleVersion):
        store.update(created["id"], lambda state, _: (store.update(created["id"], rename("again")), rename("mine")(
            state, _))[1], if_match=3)


def test_eight_writers_at_once_lose_nothing(store):
    created = new(store)
    start = threading.Barrier(8)

    def append(index):
        start.wait()
        store.update(created["id"], lambda state, _: CTX.changed(
            THING, state, {"path": [*state["path"], str(index)]}, AGENCY_UPDATED, action="update",
            extra={"changed": ["path"]}))
    threads = [threading.Thread(target=append, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    final = store.get(created["id"])
    assert sorted(final["path"]) == [str(i) for i in range(8)] and final["version"] == 9


def test_an_aggregate_that_never_stops_changing_is_unavailable(store):
    created = new(store)
    calls = []

    def always_lose(state, _):
        calls.append(1)
        store.collection.update_one({"_id": created["id"]}, {"$inc": {"version": 1}})
        return rename("x")(state, _)
    with pytest.raises(Unavailable):
        store.update(created["id"], always_lose)
    assert len(calls) == RACE_RETRIES


def test_a_full_outbox_refuses_the_write(store):
    store.max_pending = 3
    created = new(store)
    store.update(created["id"], rename("a"))
    store.update(created["id"], rename("b"))  # three events wait: the bound
    with pytest.raises(Unavailable):
        store.update(created["id"], rename("c"))
    assert store.get(created["id"])["name"] == "b"


def test_expect_guards_other_fields_and_a_moved_one_is_decided_again_whatever_if_match_said(store):
    created = new(store)
    counts = []

    def guarded(state, _):
        counts.append(state.get("counter"))
        if len(counts) == 1:  # someone moves the guarded field without a new version
            store.collection.update_one({"_id": created["id"]}, {"$inc": {"counter": 1}})
        return CTX.changed(THING, state, {"status": "inactive"}, AGENCY_UPDATED, action="update",
                           extra={"changed": []}, expect={"counter": state.get("counter")})
    store.internal_fields += ("counter",)
    after = store.update(created["id"], guarded, if_match=1)
    assert counts == [None, 1] and after["status"] == "inactive"


def test_decide_may_ask_to_be_asked_again(store):
    created = new(store)
    calls = []

    def later(state, _):
        calls.append(1)
        if len(calls) < 3:
            raise Moved("wait for it")
        return rename("at last")(state, _)
    assert store.update(created["id"], later)["name"] == "at last" and len(calls) == 3


def test_filters_the_code_relies_on(store):
    """`{field: None}` matches a missing field but not an empty list; `$push` + `$inc` on missing fields."""
    store.collection.insert_many([{"_id": "missing", "code": "A"}, {"_id": "empty", "code": "B", "placing": []}])
    assert [d["_id"] for d in store.collection.find({"placing": None})] == ["missing"]
    store.collection.update_one({"_id": "missing"}, {"$push": {"placing": {"id": "m"}}, "$inc": {"placements": 1}})
    assert store.collection.find_one({"_id": "missing"}) == {"_id": "missing", "code": "A", "placing": [{"id": "m"}],
                                                             "placements": 1}


def test_a_bulk_of_compare_and_set_writes_says_which_were_written(store):
    ours, theirs, full = new(store, "B1"), new(store, "B2"), new(store, "B3")
    store.update(theirs["id"], rename("written meanwhile"))  # the bulk below expects version 1
    full = store.update(full["id"], rename("twice"))
    store.max_pending = 2  # B3 holds two pending events: its outbox is full
    writes = [(agency["id"], agency["version"], rename("bulk")(agency, None)) for agency in (ours, theirs, full)]
    assert store.apply_many(writes) == {ours["id"]}
    assert [store.get(a["id"])["name"] for a in (ours, theirs, full)] == ["bulk", "written meanwhile", "twice"]
    assert [e["event"]["sequence"] for e in outbox(store, ours["id"])] == [1, 2]
    assert "write_token" not in store.get(ours["id"]) and store.apply_many([]) == set()
