"""Idempotent read-model projections.

Events may arrive twice (the relay publishes at least once) or late (after a redelivery), so a
projection applies an event only if its `sequence` is newer than what the read model holds.

The check and the write are one atomic upsert: when the stored sequence is newer or equal the
filter matches nothing, the upsert tries to insert a second document with the same `_id`, and the
unique `_id` index refuses it; that refusal is how "stale" is detected.
"""
from __future__ import annotations

from typing import Any

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError


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
