"""Agency lookups for authorization, from whichever collection holds a service's agency tree
(the registry itself in the agencies service, the replica in the others)."""
from __future__ import annotations

from typing import Callable

from pymongo.collection import Collection

from shared.auth.policy import AgencyRef


def ref_of(doc: dict) -> AgencyRef:
    """An agency (a stored document with `_id`, or a public state with `id`) as authorization sees it."""
    return AgencyRef(id=doc["id"] if "id" in doc else doc["_id"], path=tuple(doc.get("path") or ()),
                     status=doc.get("status", "active"))


def collection_lookup(collection: Callable[[], Collection]) -> Callable[[str], AgencyRef | None]:
    def lookup(agency_id: str) -> AgencyRef | None:
        doc = collection().find_one({"_id": agency_id}, {"path": 1, "status": 1})
        return None if doc is None else ref_of(doc)
    return lookup
