"""An in-memory aggregate store with the same contract as shared.store.aggregates.AggregateStore, for
unit tests of commands (cosmicpython's fake repository): versions, compare-and-set, unique fields,
and every event and audit record a command produced, in order."""
from __future__ import annotations

import copy
import threading
from typing import Any, Callable, Iterable, Mapping

from shared.errors import Conflict, NotFound, StaleVersion
from shared.events.envelope import Event
from shared.store.aggregates import NewEvent


class InMemoryAggregateStore:
    def __init__(self, *, source: str = "test", unique: Iterable[str] = (), internal_fields: Iterable[str] = ()):
        self.source = source
        self.unique = tuple(unique)
        self.internal = tuple(internal_fields)
        self.docs: dict[Any, dict[str, Any]] = {}
        self.events: list[Event] = []
        self.audit: list[dict] = []
        self._lock = threading.Lock()

    def public(self, doc: Mapping[str, Any]) -> dict[str, Any]:
        return {k: copy.deepcopy(v) for k, v in doc.items() if k not in self.internal}

    def get(self, aggregate_id: Any, *, internal: bool = False) -> dict[str, Any] | None:
        doc = self.docs.get(aggregate_id)
        if doc is None:
            return None
        return copy.deepcopy(doc) if internal else self.public(doc)

    def all(self, where: Callable[[dict], bool] = lambda _: True, *, internal: bool = False) -> list[dict[str, Any]]:
        return [self.get(i, internal=internal) for i, doc in self.docs.items() if where(doc)]

    def event(self, aggregate_id: Any, version: int, new: NewEvent | None) -> Event | None:
        if new is None:
            return None
        return new.contract.build(source=self.source, subject=str(aggregate_id), sequence=version, data=new.data)

    def new_document(self, state: Mapping[str, Any], event: NewEvent | None, audit: dict | None) -> dict[str, Any]:
        return {"state": {**copy.deepcopy(dict(state)), "version": 1}, "event": self.event(state["id"], 1, event),
                "audit": audit}

    def create(self, state: Mapping[str, Any], event: NewEvent | None, audit: dict | None = None) -> dict[str, Any]:
        self.create_many([self.new_document(state, event, audit)])
        return self.public(self.docs[state["id"]])

    def create_many(self, docs: list[dict[str, Any]]) -> None:
        with self._lock:
            for item in docs:
                if item["state"]["id"] in self.docs:
                    raise Conflict(f"A record with id {item['state']['id']} already exists.", kind="duplicate")
                self._check_unique(item["state"])
            for item in docs:
                self.docs[item["state"]["id"]] = item["state"]
                self._record(item["event"], item["audit"])

    def change(self, aggregate_id: Any, expected_version: int, changes: Mapping[str, Any], event: NewEvent | None,
               audit: dict | None = None, *, unset: Iterable[str] = ()) -> dict[str, Any]:
        with self._lock:
            doc = self.docs.get(aggregate_id)
            if doc is None:
                raise NotFound(f"No record {aggregate_id}.")
            if doc["version"] != expected_version:
                raise StaleVersion(f"It is at version {doc['version']}, not {expected_version}; fetch it again.",
                                   current_version=doc["version"])
            after = {**doc, **copy.deepcopy(dict(changes)), "version": expected_version + 1}
            for name in unset:
                after.pop(name, None)
            self._check_unique(after)
            self.docs[aggregate_id] = after
            self._record(self.event(aggregate_id, expected_version + 1, event), audit)
            return self.public(after)

    def _check_unique(self, state: Mapping[str, Any]) -> None:
        for name in self.unique:
            if any(d[name] == state.get(name) and i != state["id"] for i, d in self.docs.items()):
                raise Conflict(f"A record with {name} {state.get(name)} already exists.", kind="duplicate")

    def _record(self, event: Event | None, audit: dict | None) -> None:
        if event is not None:
            self.events.append(event)
        if audit is not None:
            self.audit.append(audit)
