"""The collections of the app a test built last (tests/conftest.py: app_of), for tests that look into what
a request stored: `coll(Agency).find_one(...)`."""
from __future__ import annotations

from mongoengine import Document
from pymongo.collection import Collection
from pymongo.database import Database

from shared.db import collection

_LATEST: dict[str, Database] = {}


def remember(db: Database) -> None:
    _LATEST["db"] = db


def coll(document: type[Document]) -> Collection:
    assert "db" in _LATEST, "no app was built yet: use the app fixture first"
    return collection(_LATEST["db"], document)
