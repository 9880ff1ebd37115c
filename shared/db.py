"""The MongoDB connection of a process (mongoengine's default alias)."""
from __future__ import annotations

import logging
import time
from typing import Iterable

import mongoengine
from mongoengine import Document
from mongoengine.base import _document_registry
from mongoengine.connection import get_db
from pymongo.errors import ConnectionFailure

from shared.settings import Settings

log = logging.getLogger(__name__)


def connect_mongo(settings: Settings, documents: Iterable[type[Document]] = ()):
    """Connect the default alias to this service's database; reconnecting to the same one is a no-op.

    Connect after gunicorn forks (the app factory runs in each worker): a MongoClient must not
    cross a fork. The indexes of `documents` are created here, at start-up, so that no query ever
    runs before its index exists.
    """
    current = mongoengine.connection._connection_settings.get("default")
    if current and current.get("name") == settings.mongo_db and current.get("host") == [settings.mongo_uri]:
        ensure_indexes(documents)
        return get_db()
    mongoengine.disconnect()
    # Documents cache their collection object; drop those caches so they follow the new database.
    for document in _document_registry.values():
        document._collection = None
    mongoengine.connect(db=settings.mongo_db, host=settings.mongo_uri, tz_aware=True,
                        serverSelectionTimeoutMS=3000, connectTimeoutMS=3000,
                        # A stuck server must fail the request (503), never hang a worker forever.
                        socketTimeoutMS=15000, uuidRepresentation="standard")
    ensure_indexes(documents)
    return get_db()


def ensure_indexes(documents: Iterable[type[Document]], wait_s: float = 60.0) -> None:
    """Create the indexes the documents declare. Idempotent: mongoengine creates each index with the
    same options every time, and the server treats an identical index as already there. Nothing else
    may create these indexes (with other options, a server may refuse the second definition).

    A process may start before its database does (a supervisor starts everything at once): wait for it
    up to `wait_s`, saying so, rather than crash and be restarted."""
    documents = list(documents)
    deadline = time.monotonic() + wait_s
    while True:
        try:
            for document in documents:
                document.ensure_indexes()
            return
        except ConnectionFailure as err:
            if time.monotonic() > deadline:
                raise
            log.warning("MongoDB not reachable yet; waiting", extra={"error": str(err)[:200]})
            time.sleep(1.0)
