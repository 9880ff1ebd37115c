"""`kinerja events republish`: every replicated aggregate's current snapshot appended to its outbox, against real
MongoDB; a replica lost entirely is rebuilt from them exactly, one that holds them ignores them, and republishing
twice adds events a replica ignores too."""
from __future__ import annotations

import argparse

from kinerja import events_cli
from shared.events.envelope import Event
from shared.events.handlers import HandlerRegistry
from shared.replicas.agencies import agency_replica
from tests.support.kafka_tools import unique
from tests.support.pump import deliver


def pending(collection, types: set[str]) -> list[Event]:
    """Events waiting in the outboxes (what the relay would publish), taken out, of these types."""
    events = [Event.from_dict(e["event"]) for doc in collection.find({"outbox.0": {"$exists": True}}, {"outbox": 1})
              for e in doc["outbox"] if e["event"]["type"] in types]
    collection.update_many({}, {"$set": {"outbox": []}, "$unset": {"outbox_due": ""}})
    return sorted(events, key=lambda e: (e.subject, e.sequence))


def republish(settings) -> int:
    return events_cli.run(argparse.Namespace(verb="republish", service="agencies", namespace=settings.namespace,
                                             bootstrap="127.0.0.1:9092"))


def test_a_lost_replica_is_rebuilt_from_the_republished_snapshots(client, agencies_settings, mongo_db, monkeypatch):
    monkeypatch.setenv("KINERJA_MONGO_DB", agencies_settings.mongo_db)
    codes = [unique("REPUB") for _ in range(5)]
    ids = [client.post("/api/v1/agencies", json={"code": code, "name": f"Dinas {code}", "type": "province"})
           .get_json()["id"] for code in codes]
    renamed = client.patch(f"/api/v1/agencies/{ids[0]}", json={"name": "Dinas Baru"}, headers={"If-Match": "*"})
    assert renamed.status_code == 200
    agencies = mongo_db.client[agencies_settings.mongo_db].agencies
    pending(agencies, set())  # what was published already
    assert republish(agencies_settings) == 0
    snapshots = [e for e in pending(agencies, {"kinerja.agency.snapshot.v1"}) if e.subject in ids]
    assert {(e.subject, e.sequence) for e in snapshots} == {(ids[0], 2), *((i, 1) for i in ids[1:])}
    replica = mongo_db[unique("rebuilt_replica")]
    registry = HandlerRegistry()
    agency_replica(replica).register(registry)
    deliver(registry, snapshots)  # an empty replica: everything from the snapshots
    rebuilt = {doc["_id"]: (doc["name"], doc["sequence"]) for doc in replica.find({"_id": {"$in": ids}})}
    assert rebuilt == {ids[0]: ("Dinas Baru", 2), **{i: (f"Dinas {c}", 1) for i, c in zip(ids[1:], codes[1:])}}
    assert republish(agencies_settings) == 0  # again: the same versions, which the replica holds already
    again = [e for e in pending(agencies, {"kinerja.agency.snapshot.v1"}) if e.subject in ids]
    before = list(replica.find({"_id": {"$in": ids}}, {"updated_at": 0}))
    deliver(registry, again)
    assert list(replica.find({"_id": {"$in": ids}}, {"updated_at": 0})) == before
