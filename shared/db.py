"""The MongoDB connection of a process (mongoengine's default alias)."""
from __future__ import annotations

import mongoengine
from mongoengine.base import _document_registry
from mongoengine.connection import get_db

from shared.settings import Settings


def connect_mongo(settings: Settings):
    """Connect the default alias to this service's database; reconnecting to the same one is a no-op.

    Connect after gunicorn forks (the app factory runs in each worker): a MongoClient must not
    cross a fork.
    """
    current = mongoengine.connection._connection_settings.get("default")
    if current and current.get("name") == settings.mongo_db and current.get("host") == [settings.mongo_uri]:
        return get_db()
    mongoengine.disconnect()
    # Documents cache their collection object; drop those caches so they follow the new database.
    for document in _document_registry.values():
        document._collection = None
    mongoengine.connect(db=settings.mongo_db, host=settings.mongo_uri, tz_aware=True,
                        serverSelectionTimeoutMS=3000, connectTimeoutMS=3000,
                        # A stuck server must fail the request (503), never hang a worker forever.
                        socketTimeoutMS=15000, uuidRepresentation="standard")
    return get_db()
