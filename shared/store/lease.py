"""A lease: mutual exclusion across processes and machines for work that spans several documents.

Single-document atomicity covers almost everything; a lease is for the rare operation that must not
interleave with another of its kind (moving agencies: two concurrent moves could each pass the cycle
check and build a cycle). It is one document per name in a `leases` collection, taken by inserting it
(the unique `_id` makes that atomic), carrying a random token so that only its holder can renew or
release it, and an expiry so that a crashed holder blocks others for `ttl` at most. A holder renews the
lease between steps of long work and stops if it was lost (it outlived its ttl and someone else took it).
"""
from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta, timezone
from mongoengine import DateTimeField, Document, StringField
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from shared.errors import Unavailable


class LeaseLost(Exception):
    """The lease expired and was taken by someone else; the holder must stop its work."""


class LeaseDocument(Document):
    meta = {"collection": "leases", "indexes": ["expires_at"]}

    id = StringField(primary_key=True)
    token = StringField(required=True)
    expires_at = DateTimeField(required=True)


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Lease:
    """`with Lease(collection, "agency-moves") as lease: ... lease.renew() ...`"""

    def __init__(self, collection: Collection, name: str, *, ttl_s: float = 30.0, wait_s: float = 10.0,
                 busy_message: str = "another operation of this kind is in progress"):
        self._collection = collection
        self.name = name
        self.ttl = timedelta(seconds=ttl_s)
        self.wait_s = wait_s
        self.busy_message = busy_message
        self.token = uuid.uuid4().hex
        self._renewed = 0.0
        self.took_over_expired = False  # the lease was taken after removing a holder's that had run out
        self._removed_expired = False

    def acquire(self, wait_s: float | None = None) -> bool:
        """Take the lease, waiting up to `wait_s` (default: the constructor's) for its holder."""
        leases = self._collection
        deadline = time.monotonic() + (self.wait_s if wait_s is None else wait_s)
        delay = 0.005
        while True:
            try:
                leases.insert_one({"_id": self.name, "token": self.token, "expires_at": _now() + self.ttl})
                self._renewed = time.monotonic()
                self.took_over_expired, self._removed_expired = self._removed_expired, False
                return True
            except DuplicateKeyError:
                # The holder died without releasing: its lease has run out, remove exactly that one.
                if leases.delete_one({"_id": self.name, "expires_at": {"$lt": _now()}}).deleted_count:
                    self._removed_expired = True
            if time.monotonic() >= deadline:
                return False
            time.sleep(delay)
            delay = min(delay * 2, 0.1)

    def renew(self, force: bool = False) -> None:
        """Extend the lease; LeaseLost if it is no longer ours. Cheap to call often: it writes at most
        every third of the ttl (`force`: now)."""
        if not force and time.monotonic() - self._renewed < self.ttl.total_seconds() / 3:
            return
        result = self._collection.update_one({"_id": self.name, "token": self.token},
                                               {"$set": {"expires_at": _now() + self.ttl}})
        if result.matched_count != 1:
            raise LeaseLost(f"the lease {self.name} was lost")
        self._renewed = time.monotonic()

    def release(self) -> None:
        self._collection.delete_one({"_id": self.name, "token": self.token})

    def __enter__(self) -> "Lease":
        if not self.acquire():
            raise Unavailable(f"{self.busy_message}; try again in a moment.", retry_after_s=2)
        return self

    def __exit__(self, *exc) -> None:
        self.release()
