"""Republishing: every aggregate's current snapshot sent again, so that a new consumer or a lost replica can be
rebuilt at any time (`kinerja events republish --service agencies`).

Each aggregate gets one `…snapshot.v1` event appended to its outbox at its current version, and the worker's
relay publishes it like any other: after the aggregate's events still pending (order kept), by the one relay
holding the lease. Idempotent: a replica that holds that version already ignores it (its sequence is not newer),
so republishing twice, or while writes go on, changes nothing it should not. Written in batches, each document
only if it is still at the version read (one written meanwhile has a newer event of its own on the way).
"""
from __future__ import annotations

from typing import Iterator

from pymongo import UpdateOne

from shared.commands import NewEvent
from shared.events.contracts import EventContract
from shared.store import outbox
from shared.store.aggregates import AggregateStore


def _batches(store: AggregateStore, size: int) -> Iterator[list[dict]]:
    last = None
    while True:
        selector = {} if last is None else {"_id": {"$gt": last}}
        docs = list(store.collection.find(selector, store.hidden).sort("_id", 1).limit(size))
        if not docs:
            return
        yield docs
        last = docs[-1]["_id"]


def republish(store: AggregateStore, contract: EventContract, batch_size: int = 500) -> int:
    """Append the snapshot event of every aggregate of `store`; returns how many were appended."""
    appended = 0
    for docs in _batches(store, batch_size):
        writes = []
        for doc in docs:
            state = store.public(doc)
            event = store.event(state["id"], state["version"],
                                NewEvent(contract, {store.kind.name: store.kind.snapshot(state)}))
            writes.append(UpdateOne({"_id": doc["_id"], "version": state["version"]},
                                    outbox.update_appending(event, None)))
        appended += store.collection.bulk_write(writes, ordered=False).modified_count
    return appended
