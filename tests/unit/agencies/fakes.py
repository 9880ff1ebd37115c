"""An in-memory AgencyRepository for unit tests of the commands (no I/O): the same interface and the
same version and uniqueness rules as adapters.repository, over shared.store.memory."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from shared.store.lease import LocalLease
from shared.store.memory import InMemoryAggregateStore
from services.agencies.adapters.repository import INTERNAL_FIELDS


class InMemoryAgencies:
    def __init__(self):
        self.store = InMemoryAggregateStore(source="agencies", unique=("code",), internal_fields=INTERNAL_FIELDS)
        self.lease = LocalLease()

    def get(self, agency_id: str, *, internal: bool = False) -> dict | None:
        return self.store.get(agency_id, internal=internal)

    def by_codes(self, codes: Iterable[str]) -> list[dict]:
        codes = set(codes)
        return self.store.all(lambda d: d["code"] in codes)

    def active_children(self, agency_id: str, limit: int) -> list[dict]:
        found = self.store.all(lambda d: d.get("parent_id") == agency_id and d["status"] == "active")
        return sorted(found, key=lambda d: d["code"])[:limit]

    def children_of(self, parent_ids: Iterable[str]) -> list[dict]:
        parent_ids = set(parent_ids)
        return self.store.all(lambda d: d.get("parent_id") in parent_ids)

    def dirty_roots(self, changed_before: datetime) -> list[str]:
        return [d["id"] for d in self.store.all(lambda d: d.get("subtree_dirty") and d["updated_at"] < changed_before,
                                                 internal=True)]

    def clear_dirty(self, agency_id: str) -> None:
        self.store.docs[agency_id].pop("subtree_dirty", None)

    def moves_lease(self) -> LocalLease:
        return self.lease
