"""Idempotent read-model projections.

Events may arrive twice (the relay publishes at least once) or late (after a redelivery), so a
projection applies an event only if its `sequence` is newer than what the read model holds.

The check and the write are one atomic upsert: when the stored sequence is newer or equal the
filter matches nothing, the upsert tries to insert a second document with the same `_id`, and the
unique `_id` index refuses it; that refusal is how "stale" is detected.
"""
from __future__ import annotations

from typing import Any

from pymongo import UpdateOne
from pymongo.collection import Collection
from pymongo.errors import BulkWriteError, DuplicateKeyError

DUPLICATE_KEY = 11000


# events_applied counts the events a read model was built from: it makes a double application
# visible in tests and audits.
_COUNT = {"$inc": {"events_applied": 1}}


def apply_if_newer(collection: Collection, key: Any, sequence: int, fields: dict[str, Any]) -> bool:
    """Set `fields` on the read model `key` if `sequence` is newer; True when it was applied."""
    update = {"$set": {**fields, "sequence": sequence}, **_COUNT}
    try:
        collection.update_one({"_id": key, "sequence": {"$lt": sequence}}, update, upsert=True)
    except DuplicateKeyError:
        return False
    return True


def apply_many_if_newer(collection: Collection, items: list[tuple[Any, int, dict[str, Any]]]) -> int:
    """`apply_if_newer` for many read models in one unordered bulk (keys must be distinct); returns how
    many were applied. A refusal by the `_id` index means "stale" there too; any other error is raised."""
    if not items:
        return 0
    operations = [UpdateOne({"_id": key, "sequence": {"$lt": sequence}},
                            {"$set": {**fields, "sequence": sequence}, **_COUNT}, upsert=True)
                  for key, sequence, fields in items]
    try:
        collection.bulk_write(operations, ordered=False)
    except BulkWriteError as err:
        errors = err.details.get("writeErrors", [])
        if any(e.get("code") != DUPLICATE_KEY for e in errors):
            raise
        return len(items) - len(errors)
    return len(items)
