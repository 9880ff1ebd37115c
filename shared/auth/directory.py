"""Agency lookups for authorization, from whichever collection holds a service's agency tree
(the registry itself in the agencies service, the replica in the others)."""
from __future__ import annotations

from typing import Callable

from pymongo.collection import Collection

from shared.auth.policy import Action, AgencyRef, authorize
from shared.auth.tokens import Principal
from shared.errors import Invalid, NotFound


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


def active_agency(agency: dict | None, agency_id: str, field: str, missing: str = "") -> dict:
    """`agency` (as looked up by `agency_id`) if it exists and is active: an agency named in a request body
    (an indicator's owner, an activity's organiser or participant) must be. Invalid for `field` otherwise."""
    if agency is None:
        raise Invalid.field(field, f"no agency {agency_id}{missing}")
    if agency.get("status", "active") != "active":
        raise Invalid.field(field, f"agency {agency.get('code', agency_id)} is inactive")
    return agency


def collection_lookup(collection: Callable[[], Collection]) -> Callable[[str], AgencyRef | None]:
    def lookup(agency_id: str) -> AgencyRef | None:
        doc = collection().find_one({"_id": agency_id}, {"path": 1, "status": 1})
        return None if doc is None else ref_of(doc)
    return lookup
