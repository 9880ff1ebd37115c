"""Where agencies are kept: the aggregate store of the `agencies` collection (shared.store), and the
few queries the commands and the read side need. Commands depend on this interface only; unit tests
give them an in-memory one (tests/unit/agencies/fakes.py) with the same behaviour."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from shared.settings import Settings
from shared.store.aggregates import AggregateStore
from shared.store.lease import Lease, LeaseDocument
from services.agencies.adapters.documents import Agency

# Stored but never shown: set while a move rewrites the paths of a subtree.
INTERNAL_FIELDS = ("subtree_dirty",)


class AgencyRepository:
    def __init__(self, store: AggregateStore):
        self.store = store

    def get(self, agency_id: str, *, internal: bool = False) -> dict | None:
        return self.store.get(agency_id, internal=internal)

    def by_codes(self, codes: Iterable[str]) -> list[dict]:
        return self.store.find({"code": {"$in": sorted(set(codes))}})

    def active_children(self, agency_id: str, limit: int) -> list[dict]:
        return self.store.find({"parent_id": agency_id, "status": "active"}, sort=[("code", 1)], limit=limit)

    def children_of(self, parent_ids: Iterable[str]) -> list[dict]:
        return self.store.find({"parent_id": {"$in": list(parent_ids)}})

    def dirty_roots(self, changed_before: datetime) -> list[str]:
        """Agencies whose subtree rewrite was left half done by a request that died."""
        return [doc["_id"] for doc in self.store.collection.find(
            {"subtree_dirty": True, "updated_at": {"$lt": changed_before}}, {"_id": 1})]

    def clear_dirty(self, agency_id: str) -> None:
        self.store.collection.update_one({"_id": agency_id}, {"$unset": {"subtree_dirty": ""}})

    def moves_lease(self) -> Lease:
        """Moves are serialised registry-wide (they are rare, and two concurrent ones could build a cycle)."""
        return Lease(LeaseDocument._get_collection, "agency-moves", ttl_s=30, wait_s=15,
                     busy_message="another move is being carried out")

    # -- read side -------------------------------------------------------------------------------

    def page(self, selector: dict[str, Any], sort: list[tuple[str, int]], page: int, size: int) -> tuple[list[dict], int]:
        return (self.store.find(selector, sort=sort, skip=(page - 1) * size, limit=size), self.store.count(selector))


def agency_repository(settings: Settings) -> AgencyRepository:
    return AgencyRepository(AggregateStore.of(Agency, settings, internal_fields=INTERNAL_FIELDS))
