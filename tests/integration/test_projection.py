"""Idempotent projections on real MongoDB."""
from shared.projections import apply_if_newer
from tests.support.kafka_tools import unique
from tests.support.db import coll


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


def test_many_at_once_applies_the_newer_and_refuses_the_stale(mongo_db):
    from shared.projections import apply_many_if_newer

    collection = mongo_db["projection_test"]
    fresh, known = unique("agency"), unique("agency")
    apply_if_newer(collection, known, 5, {"name": "fifth"})
    applied = apply_many_if_newer(collection, [(fresh, 1, {"name": "new"}), (known, 4, {"name": "late"})])
    assert applied == 1
    assert collection.find_one({"_id": fresh})["name"] == "new"
    assert collection.find_one({"_id": known}) == {"_id": known, "name": "fifth", "sequence": 5, "events_applied": 1}


def test_a_replica_keeps_the_newest_snapshot_of_a_run_and_writes_it_once(mongo_db):
    from shared.contracts.agencies import AGENCY_REGISTERED, AGENCY_UPDATED
    from shared.events.envelope import Event
    from shared.replicas.agencies import AgencyReplica
    from shared.replicas.snapshots import SnapshotReplica

    replica = SnapshotReplica(coll(AgencyReplica), "agencies.events", "agency")
    agency_id = unique("agency")
    snapshot = {"id": agency_id, "code": unique("C"), "name": "Dinas", "type": "province", "parent_id": None,
                "path": [], "status": "active"}
    for contract, sequence, name in [(AGENCY_REGISTERED, 1, "Dinas"), (AGENCY_UPDATED, 3, "Dinas Baru"),
                                     (AGENCY_UPDATED, 2, "Dinas Lama")]:  # out of order within the run
        data = {"agency": {**snapshot, "name": name}, **({"changed": ["name"]} if contract is AGENCY_UPDATED else {})}
        event = Event.from_dict(contract.build(source="agencies", subject=agency_id, sequence=sequence, data=data)
                                .to_dict())
        replica.apply(event, contract.validate(event.data))
    assert coll(AgencyReplica).find_one({"_id": agency_id}) is None  # nothing written before the flush
    assert replica.flush() == 1
    stored = coll(AgencyReplica).find_one({"_id": agency_id})
    assert (stored["name"], stored["sequence"], stored["events_applied"]) == ("Dinas Baru", 3, 1)
    assert replica.flush() == 0
