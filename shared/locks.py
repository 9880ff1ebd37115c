"""Per-document locks, for MongoDB-wire servers whose single-document updates are not atomic.

FerretDB v1 (what runs where no mongod exists) executes an update as "query, change in Go, write
back" with no transaction around it: two concurrent updates of one document can lose one of them,
and a filter such as {"version": 3} does not protect a compare-and-set. Every update of an
aggregate document therefore happens while holding that document's lock. A lock is a document in
the `_locks` collection, taken by inserting it: the unique `_id` index makes that atomic on
FerretDB too. Locks carry a lease, so a crashed holder blocks others for `LEASE` at most.

On a real MongoDB, where single-document updates are atomic, locking is skipped (auto-detected;
KINERJA_DOCUMENT_LOCKS=on|off overrides).
"""
from __future__ import annotations

import os
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Iterable, Iterator

from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from shared.settings import SettingsError

LEASE = timedelta(seconds=15)
_OWNER = uuid.uuid4().hex  # this process
_enabled_by_db: dict[str, bool] = {}


class LockTimeout(Exception):
    """Another writer kept the document locked for longer than the caller would wait."""


def locking_enabled(db: Database) -> bool:
    setting = os.environ.get("KINERJA_DOCUMENT_LOCKS", "auto").lower() or "auto"
    if setting not in ("auto", "on", "off"):
        raise SettingsError(f"KINERJA_DOCUMENT_LOCKS must be auto, on or off (got {setting!r})")
    if setting != "auto":
        return setting == "on"
    if db.name not in _enabled_by_db:
        _enabled_by_db[db.name] = "ferretdbVersion" in db.client.admin.command("buildInfo")
    return _enabled_by_db[db.name]


def _key(collection: Collection, doc_id) -> str:
    return f"{collection.name}:{doc_id}"


def _locks(collection: Collection) -> Collection:
    return collection.database["_locks"]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _break_expired(locks: Collection, key: str) -> None:
    """Remove a lock whose holder died (its lease ran out)."""
    locks.delete_one({"_id": key, "expires_at": {"$lt": _now()}})


def try_lock_many(collection: Collection, doc_ids: Iterable) -> list:
    """Lock whichever of `doc_ids` are free right now; returns those (all of them when locking is off)."""
    doc_ids = list(doc_ids)
    if not doc_ids or not locking_enabled(collection.database):
        return doc_ids
    locks = _locks(collection)
    expires = _now() + LEASE
    docs = [{"_id": _key(collection, i), "owner": _OWNER, "expires_at": expires} for i in doc_ids]
    try:
        locks.insert_many(docs, ordered=False)
        return doc_ids
    except BulkWriteError as err:
        taken = {docs[e["index"]]["_id"] for e in err.details.get("writeErrors", []) if e["code"] == 11000}
        for key in taken:
            _break_expired(locks, key)
        return [i for i in doc_ids if _key(collection, i) not in taken]


def unlock_many(collection: Collection, doc_ids: Iterable) -> None:
    doc_ids = list(doc_ids)
    if doc_ids and locking_enabled(collection.database):
        _locks(collection).delete_many({"_id": {"$in": [_key(collection, i) for i in doc_ids]}, "owner": _OWNER})


@contextmanager
def document_lock(collection: Collection, doc_id, wait_s: float = 5.0) -> Iterator[None]:
    """Hold the lock of one document, waiting up to `wait_s` for it."""
    if not locking_enabled(collection.database):
        yield
        return
    locks, key = _locks(collection), _key(collection, doc_id)
    deadline = time.monotonic() + wait_s
    delay = 0.002
    while True:
        try:
            locks.insert_one({"_id": key, "owner": _OWNER, "expires_at": _now() + LEASE})
            break
        except DuplicateKeyError:
            _break_expired(locks, key)
            if time.monotonic() > deadline:
                raise LockTimeout(f"{key} is being changed by another request") from None
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
    try:
        yield
    finally:
        locks.delete_one({"_id": key, "owner": _OWNER})
