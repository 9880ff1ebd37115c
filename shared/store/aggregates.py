"""The aggregate store: one place where an aggregate is created, loaded and changed.

A change writes the new state, the event that tells others about it and the audit record in ONE
single-document atomic write, with the expected version as its condition (optimistic concurrency, the
ETag clients see). Commands speak in public states (`id`, fields, `version`) and never name the outbox
or audit fields; the store knows the document format (shared.store.outbox), and a write costs one round
trip: the insert, or a `find_one_and_update` guarded by the version that returns the new state.

Event and audit record leave the document through the worker's relay: the event to Kafka, the audit
record to the audit collection (shared.audit), where it is readable within a relay pass. Neither can
be lost, and the request pays for one durable commit, not three.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from pymongo import ReturnDocument
from pymongo.collection import Collection
from pymongo.errors import BulkWriteError, DuplicateKeyError

from shared.errors import Conflict, NotFound, StaleVersion, Unavailable
from shared.events.contracts import EventContract
from shared.events.envelope import Event
from shared.store import outbox


@dataclass(frozen=True)
class NewEvent:
    """What a command wants to tell the world: an event type and its data. The store stamps the
    envelope (id, source, subject = the aggregate id, sequence = the aggregate's new version)."""

    contract: EventContract
    data: dict[str, Any]


class AggregateStore:
    """Aggregates of one collection, written with their events and audit records."""

    def __init__(self, collection: Callable[[], Collection], *, source: str, max_pending: int = 100,
                 internal_fields: Iterable[str] = ()):
        """`source` is the producing service; `internal_fields` are stored but never shown to clients;
        `max_pending` bounds the events waiting in one document (a write past it is refused with 503)."""
        self._collection = collection
        self.source = source
        self.max_pending = max_pending
        self.hidden = {name: 0 for name in (*outbox.BOOKKEEPING_FIELDS, *internal_fields)}

    @classmethod
    def of(cls, document, settings, **options) -> "AggregateStore":
        """The store of a service's mongoengine `document`: events stamped with the service as their source,
        the outbox bounded by the service's settings."""
        return cls(document._get_collection, source=settings.service, max_pending=settings.outbox_max_pending,
                   **options)

    @property
    def collection(self) -> Collection:
        return self._collection()

    # -- reading ---------------------------------------------------------------------------------

    def public(self, doc: Mapping[str, Any]) -> dict[str, Any]:
        """A stored document as commands and clients see it: `id` instead of `_id`, no bookkeeping."""
        return {"id": doc["_id"], **{k: v for k, v in doc.items() if k != "_id" and k not in self.hidden}}

    def get(self, aggregate_id: Any, *, internal: bool = False) -> dict[str, Any] | None:
        """The aggregate's public state; with `internal`, its internal fields too (never the outbox)."""
        projection = {k: 0 for k in outbox.BOOKKEEPING_FIELDS} if internal else self.hidden
        doc = self.collection.find_one({"_id": aggregate_id}, projection)
        return None if doc is None else {"id": doc.pop("_id"), **doc}

    def find(self, selector: dict[str, Any], *, sort: list[tuple[str, int]] | None = None, limit: int = 0,
             skip: int = 0) -> list[dict[str, Any]]:
        """Public states matching a MongoDB filter (repositories build the filters)."""
        cursor = self.collection.find(selector, self.hidden)
        if sort:
            cursor = cursor.sort(sort)
        return [self.public(doc) for doc in cursor.skip(skip).limit(limit)]

    def count(self, selector: dict[str, Any]) -> int:
        # An empty filter is answered from the collection's metadata instead of a scan.
        return self.collection.count_documents(selector) if selector else self.collection.estimated_document_count()

    # -- writing ---------------------------------------------------------------------------------

    def event(self, aggregate_id: Any, version: int, new: NewEvent | None) -> Event | None:
        if new is None:
            return None
        return new.contract.build(source=self.source, subject=str(aggregate_id), sequence=version, data=new.data)

    def new_document(self, state: Mapping[str, Any], event: NewEvent | None, audit: dict | None) -> dict[str, Any]:
        """The stored form of a new aggregate (version 1) with its first event and audit record."""
        fields = {k: v for k, v in state.items() if k not in ("id", "version")}
        return {"_id": state["id"], **fields, "version": 1,
                **outbox.fields_of_new_document(self.event(state["id"], 1, event), audit)}

    def create(self, state: Mapping[str, Any], event: NewEvent | None, audit: dict | None = None) -> dict[str, Any]:
        """Insert a new aggregate at version 1. A unique value already taken is a Conflict (duplicate)."""
        doc = self.new_document(state, event, audit)
        try:
            self.collection.insert_one(doc)
        except DuplicateKeyError as err:
            raise _duplicate(err.details or {}) from None
        return self.public(doc)

    def create_many(self, docs: list[dict[str, Any]]) -> None:
        """Insert documents built by `new_document` (bulk imports); all-or-nothing is the caller's job."""
        if not docs:
            return
        try:
            self.collection.insert_many(docs, ordered=False)
        except BulkWriteError as err:
            duplicates = [e for e in err.details.get("writeErrors", []) if e.get("code") == 11000]
            if len(duplicates) != len(err.details.get("writeErrors", [])):
                raise
            raise _duplicate(duplicates[0], count=len(duplicates)) from None

    def change(self, aggregate_id: Any, expected_version: int, changes: Mapping[str, Any], event: NewEvent | None,
               audit: dict | None = None, *, unset: Iterable[str] = ()) -> dict[str, Any]:
        """Set `changes` (and unset `unset`), append the event and the audit record, and move to the next
        version, if the aggregate is still at `expected_version`. Returns the state after the change.

        StaleVersion when someone changed it first; NotFound when it does not exist; Unavailable when its
        outbox is full (events wait for a broker that does not take them): nothing is written then."""
        version = expected_version + 1
        update = outbox.update_appending(self.event(aggregate_id, version, event), audit)
        update["$set"] = {**changes, "version": version}
        if unset:
            update["$unset"] = {name: "" for name in unset}
        selector = {"_id": aggregate_id, "version": expected_version, **outbox.room_for_one_more(self.max_pending)}
        doc = self.collection.find_one_and_update(selector, update, projection=self.hidden,
                                                  return_document=ReturnDocument.AFTER)
        if doc is None:
            raise self._why_not_written(aggregate_id, expected_version)
        return self.public(doc)

    def _why_not_written(self, aggregate_id: Any, expected_version: int) -> Exception:
        current = self.collection.find_one({"_id": aggregate_id}, {"version": 1, "outbox.id": 1})
        if current is None:
            return NotFound(f"No {self.collection.name} record {aggregate_id}.")
        if current["version"] != expected_version:
            return StaleVersion(f"It is at version {current['version']}, not {expected_version}; fetch it again.",
                                current_version=current["version"])
        return Unavailable(f"{len(current.get('outbox', []))} events of this record are waiting to be published; "
                           "try again once the event bus has taken them.", retry_after_s=30)


def _duplicate(details: Mapping[str, Any], count: int = 1) -> Conflict:
    key = details.get("keyValue") or {}
    described = ", ".join(f"{name} {value}" for name, value in key.items()) or "the same unique value"
    more = f" (and {count - 1} more)" if count > 1 else ""
    return Conflict(f"A record with {described} already exists{more}.", kind="duplicate", **({"key": key} if key else {}))
