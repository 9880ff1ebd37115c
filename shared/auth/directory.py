"""Where a service finds agencies: the registry itself in the agencies service, its replica of the registry
in the others. `AgencyDirectory` answers the questions authorization and the repositories ask of it, over
whichever collection holds the tree; the helpers turn "the agency, if it exists and the caller may" into
the right refusal."""
from __future__ import annotations

from typing import Iterable

from pymongo.collection import Collection

from shared.auth.policy import Action, AgencyRef, authorize
from shared.auth.tokens import Principal
from shared.errors import Invalid, NotFound

TREE_FIELDS = {"code": 1, "name": 1, "short_name": 1, "type": 1, "status": 1, "parent_id": 1, "path": 1, "head": 1}


def ref_of(doc: dict) -> AgencyRef:
    """An agency (a stored document with `_id`, or a public state with `id`) as authorization sees it."""
    return AgencyRef(id=doc["id"] if "id" in doc else doc["_id"], path=tuple(doc.get("path") or ()),
                     status=doc.get("status", "active"))


def _public(doc: dict) -> dict:
    return {"id": doc.pop("_id"), **doc}


class AgencyDirectory:
    """The agency tree as one collection holds it (agencies as public states: `id` instead of `_id`)."""

    def __init__(self, collection: Collection):
        self.collection = collection

    def ref(self, agency_id: str) -> AgencyRef | None:
        """What authorization needs of an agency (a token's home agency, on every request)."""
        doc = self.collection.find_one({"_id": agency_id}, {"path": 1, "status": 1})
        return None if doc is None else ref_of(doc)

    def agency(self, agency_id: str) -> dict | None:
        doc = self.collection.find_one({"_id": agency_id}, TREE_FIELDS)
        return None if doc is None else _public(doc)

    def agencies(self, agency_ids: Iterable[str]) -> dict[str, dict]:
        docs = self.collection.find({"_id": {"$in": list(set(agency_ids))}}, TREE_FIELDS)
        return {doc["_id"]: _public(doc) for doc in docs}

    def children_of(self, agency_ids: Iterable[str]) -> dict[str, list[dict]]:
        """The children of each agency (by code), in one query."""
        found: dict[str, list[dict]] = {agency_id: [] for agency_id in agency_ids}
        for doc in self.collection.find({"parent_id": {"$in": list(found)}}, TREE_FIELDS).sort("code", 1):
            found[doc["parent_id"]].append(_public(doc))
        return found

    def subtree(self, agency_id: str) -> list[dict]:
        """The agency and every agency below it: code, name, type, status, parent and path."""
        return [_public(doc) for doc in self.collection.find({"$or": [{"_id": agency_id}, {"path": agency_id}]},
                                                              TREE_FIELDS)]

    def subtree_ids(self, agency_id: str) -> list[str]:
        docs = self.collection.find({"$or": [{"_id": agency_id}, {"path": agency_id}]}, {"_id": 1})
        return [doc["_id"] for doc in docs]


class DirectoryReads:
    """The agency questions a service's repository answers from its directory (`self.directory`)."""

    directory: AgencyDirectory

    def agency(self, agency_id: str) -> dict | None:
        return self.directory.agency(agency_id)

    def agencies(self, agency_ids: Iterable[str]) -> dict[str, dict]:
        return self.directory.agencies(agency_ids)

    def subtree(self, agency_id: str) -> list[dict]:
        return self.directory.subtree(agency_id)

    def subtree_ids(self, agency_id: str) -> list[str]:
        return self.directory.subtree_ids(agency_id)


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
