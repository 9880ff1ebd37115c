"""The aggregate store: the one place where an aggregate is created, loaded and changed.

Every write of every service takes one path. A command gives `update` a `decide` function; the store
loads the aggregate, lets `access` refuse a caller who may not touch it (403 and 404 come before 412:
RFC 9110 13.2.1), compares If-Match, asks `decide` for a Change (shared.commands) and writes it in ONE
single-document write guarded by the version it read: the new state, the event that tells others about it
and the audit record. When that write loses a race to another writer:

- a client that named a version (If-Match) gets StaleVersion (412): what it read is gone;
- a client that named none is not in conflict with anyone: the store reads again and decides again, with
  a short random pause so that contenders spread out, and answers Unavailable (503, Retry-After) only if
  the aggregate never stops changing.

Commands speak in public states (`id`, fields, `version`) and never name the outbox or audit fields; the
store knows the document format (shared.store.outbox). A change costs two round trips (the read, and a
`find_one_and_update` that returns the new state); a creation one (the insert).

Event and audit record leave the document through the worker's relay: the event to Kafka, the audit record
to the audit collection (shared.audit). Neither can be lost, and the request pays for one durable commit.
"""
from __future__ import annotations

import random
import time
import uuid
from typing import Any, Callable, Iterable, Mapping

from pymongo import ReturnDocument, UpdateOne
from pymongo.collection import Collection
from pymongo.errors import BulkWriteError, DuplicateKeyError

from shared.commands import Change, Kind, NewEvent
from shared.errors import Conflict, NotFound, StaleVersion, Unavailable
from shared.events.envelope import Event
from shared.search import searchable
from shared.store import outbox

# How often a write without If-Match is decided again after losing a race, before it answers 503.
RACE_RETRIES = 20

Decide = Callable[[dict[str, Any] | None, Any], Change | None]
Access = Callable[[dict[str, Any]], Any]


class Moved(StaleVersion):
    """The aggregate is still at the version read, but a field the change `expect`s moved: decide again
    (whatever If-Match said: the client's version still holds)."""


class AggregateStore:
    """Aggregates of one kind, in one collection, written with their events and audit records."""

    def __init__(self, collection: Collection, kind: Kind, *, source: str, max_pending: int = 100,
                 internal_fields: Iterable[str] = ()):
        """`source` is the producing service; `internal_fields` are stored and given to `decide`, but never
        shown to clients; `max_pending` bounds the events waiting in one document (a write past it is
        refused with 503: the events wait for a broker that does not take them)."""
        self.collection = collection
        self.kind = kind
        self.source = source
        self.max_pending = max_pending
        # The search terms of a searchable kind are kept by the store, never shown (shared.search).
        self.internal_fields = (*internal_fields, *(("search",) if kind.searchable else ()))
        self.hidden = {name: 0 for name in (*outbox.BOOKKEEPING_FIELDS, *self.internal_fields)}
        self._bookkeeping = {name: 0 for name in outbox.BOOKKEEPING_FIELDS}

    # -- reading ---------------------------------------------------------------------------------

    def public(self, doc: Mapping[str, Any]) -> dict[str, Any]:
        """A stored document as commands and clients see it: `id` instead of `_id`, no bookkeeping."""
        return {"id": doc["_id"], **{k: v for k, v in doc.items() if k != "_id" and k not in self.hidden}}

    def get(self, aggregate_id: Any, *, internal: bool = False) -> dict[str, Any] | None:
        """The aggregate's public state; with `internal`, its internal fields too (never the outbox)."""
        doc = self.collection.find_one({"_id": aggregate_id}, self._bookkeeping if internal else self.hidden)
        return None if doc is None else {"id": doc.pop("_id"), **doc}

    def find(self, selector: dict[str, Any], *, sort: list[tuple[str, int]] | None = None, limit: int = 0,
             skip: int = 0, fields: Mapping[str, int] | None = None,
             hint: list[tuple[str, int]] | None = None) -> list[dict[str, Any]]:
        """Public states matching a MongoDB filter (repositories build the filters); `fields` excludes
        more (e.g. `{"participants": 0}`); `hint` names the index."""
        cursor = self.collection.find(selector, {**self.hidden, **(fields or {})})
        if hint:
            cursor = cursor.hint(hint)
        if sort:
            cursor = cursor.sort(sort)
        return [self.public(doc) for doc in cursor.skip(skip).limit(limit)]

    def count(self, selector: dict[str, Any]) -> int:
        # An empty filter is answered from the collection's metadata instead of a scan.
        return self.collection.count_documents(selector) if selector else self.collection.estimated_document_count()

    def _internal(self, state: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in state.items() if k not in self.internal_fields}

    # -- the write path --------------------------------------------------------------------------

    def update(self, aggregate_id: Any, decide: Decide, *, if_match: int | None = None,
               access: Access | None = None, create: bool = False) -> dict[str, Any]:
        """Load the aggregate (internal fields included), let `access(state)` refuse the caller (its
        answer is handed to `decide`), compare `if_match`, ask `decide(state, access's answer)` for a
        Change (None: nothing to write) and write it compare-and-set. Returns the public state after.

        With `create`, a missing aggregate is `decide(None, None)`'s to create (its Change holds the whole
        state); otherwise it is NotFound. A lost race is decided again unless the client named a version
        (then StaleVersion); Unavailable when it keeps losing, or when the aggregate's outbox is full.
        `decide` may raise Moved itself, to be asked again after a short pause (something it must wait for,
        another request's step, is in progress)."""
        for attempt in range(1, RACE_RETRIES + 1):
            state = self.get(aggregate_id, internal=True)
            if state is None and not create:
                raise NotFound(f"No {self.kind.noun} {aggregate_id}.")
            granted = access(state) if access is not None and state is not None else None
            if state is not None and if_match is not None and if_match != state["version"]:
                raise StaleVersion(f"The {self.kind.noun} is at version {state['version']}, not {if_match}; "
                                   "fetch it again.", current_version=state["version"])
            try:
                change = decide(state, granted)
                if change is None:
                    return self._internal(state) if state is not None else None
                if state is None:
                    return self.create(change)
                return self.apply(aggregate_id, state["version"], change)
            except Moved:
                pass
            except StaleVersion:
                if if_match is not None:
                    raise
            except Conflict:
                if state is not None or self.get(aggregate_id) is None:
                    raise
                # created by someone else meanwhile: decide again, on theirs
            time.sleep(random.uniform(0, 0.002 * attempt))
        raise Unavailable(f"The {self.kind.noun} changed {RACE_RETRIES} times while this request tried to change "
                          "it; try again.", retry_after_s=1)

    def create(self, change: Change) -> dict[str, Any]:
        """Insert a new aggregate at version 1 with its first event and audit record. A unique value
        already taken is a Conflict (duplicate)."""
        doc = self.new_document(change)
        try:
            self.collection.insert_one(doc)
        except DuplicateKeyError as err:
            raise _duplicate(err.details or {}) from None
        return self.public(doc)

    def create_many(self, changes: list[Change]) -> None:
        """Insert many new aggregates in one command (bulk imports); all-or-nothing is the caller's job."""
        if not changes:
            return
        try:
            self.collection.insert_many([self.new_document(change) for change in changes], ordered=False)
        except BulkWriteError as err:
            duplicates = [e for e in err.details.get("writeErrors", []) if e.get("code") == 11000]
            if len(duplicates) != len(err.details.get("writeErrors", [])):
                raise
            raise _duplicate(duplicates[0], count=len(duplicates)) from None

    def apply_many(self, writes: list[tuple[Any, int, Change]]) -> set[Any]:
        """`apply` for many aggregates in one bulk: each (id, expected version, change) is written if the
        aggregate is still at that version; returns the ids written (the others lost their race, or have a
        full outbox: the caller decides them again). One round trip, two when some were not written."""
        if not writes:
            return set()
        token = uuid.uuid4().hex
        operations = []
        for aggregate_id, expected_version, change in writes:
            selector, update = self._compare_and_set(aggregate_id, expected_version, change)
            update["$set"]["write_token"] = token
            operations.append(UpdateOne(selector, update))
        ids = [aggregate_id for aggregate_id, _, _ in writes]
        if self.collection.bulk_write(operations, ordered=False).matched_count == len(operations):
            return set(ids)  # every one matched its version: no need to ask which
        return {doc["_id"] for doc in self.collection.find({"_id": {"$in": ids}, "write_token": token}, {"_id": 1})}

    def _compare_and_set(self, aggregate_id: Any, expected_version: int, change: Change) -> tuple[dict, dict]:
        """The filter and update of writing `change` over `expected_version`."""
        version = expected_version + 1
        update = outbox.update_appending(self.event(aggregate_id, version, change.event), change.audit)
        update["$set"] = {**{k: v for k, v in change.fields.items() if k not in ("id", "version")},
                          **self._search_terms(change, changed_only=True), "version": version}
        if change.unset:
            update["$unset"] = {name: "" for name in change.unset}
        selector = {"_id": aggregate_id, "version": expected_version, **dict(change.expect),
                    **outbox.room_for_one_more(self.max_pending)}
        return selector, update

    def apply(self, aggregate_id: Any, expected_version: int, change: Change) -> dict[str, Any]:
        """Write `change` if the aggregate is still at `expected_version` (and its `expect`ed fields still
        hold): the compare-and-set under `update` (`apply_many` is its bulk form, for the scorer). Returns the
        public state after; StaleVersion, NotFound or Unavailable (outbox full) otherwise, with nothing written."""
        selector, update = self._compare_and_set(aggregate_id, expected_version, change)
        doc = self.collection.find_one_and_update(selector, update, projection=self.hidden,
                                                  return_document=ReturnDocument.AFTER)
        if doc is None:
            raise self._why_not_written(aggregate_id, expected_version)
        return self.public(doc)

    # -- the stored form -------------------------------------------------------------------------

    def event(self, aggregate_id: Any, version: int, new: NewEvent | None) -> Event | None:
        if new is None:
            return None
        return new.contract.build(source=self.source, subject=str(aggregate_id), sequence=version, data=new.data)

    def new_document(self, change: Change) -> dict[str, Any]:
        """The stored form of a new aggregate (version 1) with its first event and audit record."""
        state = change.fields
        fields = {k: v for k, v in state.items() if k not in ("id", "version")}
        return {"_id": state["id"], **fields, **self._search_terms(change), "version": 1,
                **outbox.fields_of_new_document(self.event(state["id"], 1, change.event), change.audit)}

    def _search_terms(self, change: Change, changed_only: bool = False) -> dict[str, Any]:
        fields = self.kind.searchable
        if not fields or (changed_only and not any(name in change.fields for name in fields)):
            return {}
        return {"search": searchable(change.after, fields)}

    def add_missing_search_terms(self, batch: int = 1000) -> int:
        """Give the records stored before their kind was searchable their terms (run at start-up)."""
        if not self.kind.searchable:
            return 0
        done = 0
        while True:
            docs = list(self.collection.find({"search": {"$exists": False}}, {name: 1 for name in self.kind.searchable})
                        .limit(batch))
            if not docs:
                return done
            # Only where still missing: a change written meanwhile has its own, newer terms.
            self.collection.bulk_write([UpdateOne({"_id": doc["_id"], "search": {"$exists": False}},
                                                  {"$set": {"search": searchable(doc, self.kind.searchable)}})
                                        for doc in docs], ordered=False)
            done += len(docs)

    def _why_not_written(self, aggregate_id: Any, expected_version: int) -> Exception:
        current = self.collection.find_one({"_id": aggregate_id}, {"version": 1, "outbox.id": 1})
        if current is None:
            return NotFound(f"No {self.kind.noun} {aggregate_id}.")
        if current["version"] != expected_version:
            return StaleVersion(f"The {self.kind.noun} is at version {current['version']}, not {expected_version}; "
                                "fetch it again.", current_version=current["version"])
        if len(current.get("outbox", [])) >= self.max_pending:
            return Unavailable(f"{len(current.get('outbox', []))} events of this {self.kind.noun} are waiting to be "
                               "published; try again once the event bus has taken them.", retry_after_s=30)
        return Moved(f"The {self.kind.noun} changed meanwhile; deciding again.", current_version=expected_version)


def _duplicate(details: Mapping[str, Any], count: int = 1) -> Conflict:
    key = details.get("keyValue") or {}
    described = ", ".join(f"{name} {value}" for name, value in key.items()) or "the same unique value"
    more = f" (and {count - 1} more)" if count > 1 else ""
    return Conflict(f"A record with {described} already exists{more}.", kind="duplicate", **({"key": key} if key else {}))
