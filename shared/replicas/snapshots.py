"""Snapshot replicas: a service's local read model of another service's aggregates.

Every event on a replicated topic carries the aggregate's full snapshot after the change, so a replica
stays exact by applying any event whose sequence is newer than what it holds (shared.projections). The
events a replica applies are derived from the contract registry: every contract of the topic must carry
the snapshot field, or the replica refuses to start — a new event type can never be skipped silently.

The consumer hands a replica a run of messages at a time: it keeps the newest snapshot per aggregate and
writes them all in one unordered bulk of guarded upserts when the run ends (one round trip, not one per
event; a stale snapshot is refused by the same sequence guard, in bulk).
"""
from __future__ import annotations

from typing import Callable

from pymongo.collection import Collection

from shared.events.handlers import HandlerRegistry
from shared.events.contracts import EventContract, all_contracts
from shared.events.envelope import Event
from shared.projections import apply_many_if_newer


class SnapshotReplica:
    def __init__(self, collection: Collection | None, topic: str, snapshot_field: str,
                 contracts: Callable[[], list[EventContract]] = all_contracts, aggregate: str | None = None):
        """`collection` holds the replica (None: only its contracts are asked for); `aggregate` limits it to
        one aggregate's events on a topic that carries several (`kinerja.<aggregate>.<event>.v1`); by
        default, every event of the topic."""
        self._pending: dict[str, tuple[int, dict]] = {}
        self.collection = collection
        self.topic = topic
        self.snapshot_field = snapshot_field
        self.aggregate = aggregate
        self._contracts = contracts

    def contracts(self) -> list[EventContract]:
        """Every contract of the topic (and aggregate); a ValueError names any that carries no snapshot."""
        found = [c for c in self._contracts() if c.topic == self.topic
                 and (self.aggregate is None or c.type.startswith(f"kinerja.{self.aggregate}."))]
        missing = [c.type for c in found if self.snapshot_field not in c.schema().fields]
        if missing:
            raise ValueError(f"events {missing} on {self.topic} carry no {self.snapshot_field!r} snapshot, so the "
                             f"{self.snapshot_field} replica could not apply them; add the snapshot to the contract")
        if not found:
            raise ValueError(f"no event contracts on {self.topic}")
        return found

    def register(self, registry: HandlerRegistry) -> None:
        for contract in self.contracts():
            registry.on(contract, self.apply)
        registry.after_each_batch(self.flush)

    def apply(self, event: Event, data: dict) -> None:
        """Buffer the snapshot (the newest per aggregate wins); `flush` writes it."""
        snapshot = dict(data[self.snapshot_field])
        key = snapshot.pop("id")
        held = self._pending.get(key)
        if held is None or held[0] < event.sequence:
            self._pending[key] = (event.sequence, {**snapshot, "updated_at": event.time})

    def flush(self) -> int:
        """Write the buffered snapshots; returns how many were newer than what the replica held."""
        pending, self._pending = self._pending, {}
        return apply_many_if_newer(self.collection,
                                   [(key, sequence, fields) for key, (sequence, fields) in pending.items()])
