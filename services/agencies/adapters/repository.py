"""Where agencies are kept: the aggregate store of the `agencies` collection (shared.store), the directory
authorization reads, the moves lease, and the few queries the commands and the read side need. Commands
depend on this interface only; unit tests build it on an in-memory database (tests/support/fakes.py)."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable, Iterator

from pymongo import ReturnDocument
from pymongo.database import Database

from shared.auth.directory import AgencyDirectory
from shared.clock import now
from shared.db import collection
from shared.settings import Settings, SettingsError
from shared.store.aggregates import AggregateStore
from shared.store.lease import Lease, LeaseDocument
from services.agencies.adapters.documents import Agency
from services.agencies.domain.agency import AGENCY, DEFAULT_PARENT_RULES, ParentRules, parse_parent_rules

# Stored but never shown: set while a move rewrites the paths of a subtree; agencies being placed under it.
INTERNAL_FIELDS = ("subtree_dirty", "placing", "placements")


@dataclass
class Placement:
    """The parent an agency is being placed under, as it was when the marker went in (`parent`) and when
    it came out (`parent_after`: did it move meanwhile?). None for a root, or for a parent that is not there
    (or not within the scope the placement was limited to: then nothing was marked)."""

    parent: dict | None
    parent_after: dict | None = None
    refresh: Callable[[], None] = lambda: None


class AgencyRepository:
    def __init__(self, store: AggregateStore, leases, rules: ParentRules = DEFAULT_PARENT_RULES):
        self.store = store
        self.directory = AgencyDirectory(store.collection)
        self.leases = leases
        self.rules = rules

    @classmethod
    def on(cls, db: Database, settings: Settings) -> "AgencyRepository":
        store = AggregateStore(collection(db, Agency), AGENCY, source=settings.service,
                               max_pending=settings.outbox_max_pending, internal_fields=INTERNAL_FIELDS)
        return cls(store, collection(db, LeaseDocument), parent_rules_from(settings))

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
        return Lease(self.leases, "agency-moves", ttl_s=30, wait_s=15, busy_message="another move is being carried out")

    @contextmanager
    def placing_under(self, parent_id: str | None, marker: str, within: dict | None = None) -> Iterator[Placement]:
        """While an agency is registered, moved or reactivated under `parent_id`, the parent carries a marker
        (`placing.<marker>`: when it was set) and its `placements` counter has counted the placement. A
        deactivation of the parent waits while it holds a fresh marker, and writes only if the counter is
        what it read before it counted the children; so the two cannot both succeed: either the
        deactivation sees the new active child, or the placement sees an inactive parent. Each step is one
        single-document write, so no transaction is needed; a crashed request's marker goes stale (and the next
        deactivation removes it). `within` limits the marking to parents matching it (the caller's scope: an
        agency outside it is never written); a long placement calls `refresh` as it goes (an import, per chunk)."""
        if parent_id is None:
            yield Placement(None)
            return
        agencies = self.store.collection
        mark = {"$set": {f"placing.{marker}": now()}, "$inc": {"placements": 1}}
        doc = agencies.find_one_and_update({"_id": parent_id, **(within or {})}, mark, projection=self.store.hidden,
                                           return_document=ReturnDocument.AFTER)
        if doc is None:  # nothing marked, so nothing to refresh or take out
            yield Placement(None)
            return
        placement = Placement(self.store.public(doc), refresh=lambda: agencies.update_one({"_id": parent_id}, {
            "$set": {f"placing.{marker}": now()}, "$inc": {"placements": 1}}))
        try:
            yield placement
        finally:
            after = agencies.find_one_and_update({"_id": parent_id}, {"$unset": {f"placing.{marker}": ""}},
                                                 projection=self.store.hidden, return_document=ReturnDocument.AFTER)
            placement.parent_after = None if after is None else self.store.public(after)

    # -- read side -------------------------------------------------------------------------------

    def page(self, selector: dict[str, Any], sort: list[tuple[str, int]], page: int, size: int) -> tuple[list[dict], int]:
        return (self.store.find(selector, sort=sort, skip=(page - 1) * size, limit=size), self.store.count(selector))


def parent_rules_from(settings: Settings) -> ParentRules:
    if not settings.agency_parent_rules:
        return DEFAULT_PARENT_RULES
    try:
        return parse_parent_rules(settings.agency_parent_rules)
    except ValueError as err:  # json.JSONDecodeError is a ValueError too
        raise SettingsError(f"KINERJA_AGENCY_RULES: {err}") from None
