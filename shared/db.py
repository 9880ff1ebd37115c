"""MongoDB for a process: one client per server address, and each service's database handed explicitly to
whatever needs it (repositories, the relay, the ledger), so that a test can hand the same code an
in-memory database instead (tests/support/fakes.py).

The mongoengine documents of each service declare its collections: their names, fields and indexes.
Writes and reads go through pymongo (shared.store), never through mongoengine's global connection.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Iterable

from mongoengine import Document
from pymongo import MongoClient
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import ConnectionFailure, ExecutionTimeout

from shared.settings import Settings

log = logging.getLogger(__name__)

_CLIENTS: dict[str, MongoClient] = {}
_LOCK = threading.Lock()


def client_for(uri: str, server_selection_ms: int = 3000) -> MongoClient:
    """The process's client of the server at `uri`, created on first use: after gunicorn forks (the app
    factory runs in each worker), so that no MongoClient crosses a fork. `server_selection_ms`: how long an
    operation waits for a server to take it (a replica set's election: raise it above ~12 s)."""
    with _LOCK:
        if uri not in _CLIENTS:
            _CLIENTS[uri] = MongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=server_selection_ms,
                                        connectTimeoutMS=3000,
                                        # A stuck server must fail the request (503), never hang a worker.
                                        socketTimeoutMS=15000, uuidRepresentation="standard")
        return _CLIENTS[uri]


def database(settings: Settings) -> Database:
    """The service's own database."""
    return client_for(settings.mongo_uri, settings.mongo_server_selection_ms)[settings.mongo_db]


def collection(db: Database, document: type[Document]) -> Collection:
    """The collection a mongoengine document declares, in `db`."""
    return db[document._meta["collection"]]


# Building an index over a large existing collection can take long; on SecantusDB 0.5.3-beta.196 a multikey
# one over 70,000 documents never finishes (it retries on write conflicts for as long as it is let): bound it.
INDEX_BUILD_LIMIT_MS = 10 * 60 * 1000


class IndexBuildFailed(RuntimeError):
    """An index could not be built: the process stops saying which, instead of starting without it."""


def create_indexes(db: Database, document: type[Document]) -> None:
    """The indexes `document` declares, created exactly as mongoengine's `ensure_indexes` would (the same
    options every time: a server may refuse a second definition of an index that differs only in them)."""
    target = collection(db, document)
    background = document._meta.get("index_background", False)
    for spec in document._meta.get("index_specs") or ():
        options = {**(document._meta.get("index_opts") or {}), **{k: v for k, v in spec.items()
                                                                   if k not in ("fields", "cls")}}
        try:
            target.create_index(spec["fields"], background=background, maxTimeMS=INDEX_BUILD_LIMIT_MS, **options)
        except ExecutionTimeout:
            raise IndexBuildFailed(
                f"the index {spec['fields']} of {target.full_name} was not built within {INDEX_BUILD_LIMIT_MS // 1000} s "
                f"({target.estimated_document_count():,} documents). SecantusDB 0.5.3-beta.196 never finishes a multikey "
                "index over a large existing collection: build it on MongoDB, or load the data after start-up") from None


def prepare(db: Database, documents: Iterable[type[Document]], wait_s: float = 60.0) -> Database:
    """Create the indexes of `documents` in `db` (idempotent), so that no query ever runs before its index
    exists. A process may start before its database does (a supervisor starts everything at once): wait
    for it up to `wait_s`, saying so, rather than crash and be restarted."""
    documents = list(documents)
    deadline = time.monotonic() + wait_s
    while True:
        try:
            for document in documents:
                create_indexes(db, document)
            return db
        except ConnectionFailure as err:
            if time.monotonic() > deadline:
                raise
            log.warning("MongoDB not reachable yet; waiting", extra={"error": str(err)[:200]})
            time.sleep(1.0)
