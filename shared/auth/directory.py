"""Agency lookups for authorization, from whichever collection holds a service's agency tree
(the registry itself in the agencies service, the replica in the others)."""
from __future__ import annotations

from typing import Callable

from pymongo.collection import Collection

from shared.auth.policy import Action, AgencyRef, authorize
from shared.auth.tokens import Principal
from shared.errors import NotFound


def ref_of(doc: dict) -> AgencyRef:
    """An agency (a stored document with `_id`, or a public state with `id`) as authorization sees it."""
    return AgencyRef(id=doc["id"] if "id" in doc else doc["_id"], path=tuple(doc.get("path") or ()),
                     status=doc.get("status", "active"))


def permitted_agency(principal: Principal, action: Action, agency: dict | None, agency_id: str,
                     missing: str = "") -> dict:
    """`agency` (as looked up by `agency_id`) if it exists and the principal may perform `action` on it;
    NotFound or Forbidden otherwise."""
    if agency is None:
        raise NotFound(f"No agency {agency_id}{missing}.")
    authorize(principal, action, ref_of(agency))
    return agency


def collection_lookup(collection: Callable[[], Collection]) -> Callable[[str], AgencyRef | None]:
    def lookup(agency_id: str) -> AgencyRef | None:
        doc = collection().find_one({"_id": agency_id}, {"path": 1, "status": 1})
        return None if doc is None else ref_of(doc)
    return lookup
