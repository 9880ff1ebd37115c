"""Read side of the registry: lists, children, ancestors, descendants and nested subtrees."""
from __future__ import annotations

import re

from shared.auth.flask_auth import current_principal, require
from shared.auth.directory import ref_of
from shared.auth.policy import Action, scope_filter
from shared.http.pagination import fetch_page
from shared.http.problems import Problem
from services.agencies.adapters.documents import INTERNAL_FIELDS, collection, find_agency, public_view

MAX_TREE_NODES = 5000


def readable(agency_id: str) -> dict:
    agency = find_agency(agency_id)
    if agency is None:
        raise Problem(404, f"No agency {agency_id}.")
    require(Action.READ, ref_of(agency))
    return agency


def list_agencies(query: dict) -> dict:
    """Filtered, sorted page of the agencies the caller may read."""
    conditions = [scope_filter(current_principal())] if current_principal().role != "admin" else []
    for field in ("type", "status", "parent_id"):
        if field in query:
            conditions.append({field: query[field]})
    if query.get("root_only"):
        conditions.append({"parent_id": None})
    if query.get("q"):
        # Case-insensitive substring on name and code; the text is escaped so it is never a pattern.
        pattern = {"$regex": re.escape(query["q"]), "$options": "i"}
        conditions.append({"$or": [{"name": pattern}, {"code": pattern}]})
    mongo_filter = {"$and": conditions} if conditions else {}
    sort_field = query.get("sort", "code")
    direction = -1 if sort_field.startswith("-") else 1
    # Codes are unique; other fields are tied by _id in the same direction, which their compound
    # indexes (field, _id) serve in either direction.
    field = sort_field.lstrip("-")
    sort = [(field, direction)] if field == "code" else [(field, direction), ("_id", direction)]
    return fetch_page(collection(), mongo_filter, query, sort, INTERNAL_FIELDS, public_view)


def children_of(agency_id: str) -> list[dict]:
    readable(agency_id)
    return [public_view(d) for d in collection().find({"parent_id": agency_id}, INTERNAL_FIELDS).sort("code", 1)]


def ancestors_of(agency_id: str) -> list[dict]:
    """The path from the root down to the agency's parent."""
    agency = readable(agency_id)
    found = {d["_id"]: d for d in collection().find({"_id": {"$in": agency["path"]}}, INTERNAL_FIELDS)}
    return [public_view(found[a]) for a in agency["path"] if a in found]


def descendants_of(agency_id: str, max_depth: int | None) -> tuple[dict, list[dict]]:
    """The agency and its descendants (at most `max_depth` levels down), each with its `depth`."""
    agency = readable(agency_id)
    base = len(agency["path"]) + 1  # a child's path has one more element than its parent's
    mongo_filter: dict = {"path": agency_id}
    if max_depth is not None:
        # No element at index base+max_depth-1+1 means "at most max_depth levels below".
        mongo_filter[f"path.{base + max_depth - 1}"] = {"$exists": False}
    docs = list(collection().find(mongo_filter, INTERNAL_FIELDS).sort("code", 1).limit(MAX_TREE_NODES + 1))
    if len(docs) > MAX_TREE_NODES:
        raise Problem(422, f"More than {MAX_TREE_NODES} descendants; pass a smaller max_depth.")
    return agency, [{**public_view(d), "depth": len(d["path"]) - base + 1} for d in docs]


def subtree_of(agency_id: str, max_depth: int | None) -> dict:
    """The agency with its descendants nested under `children`, for dashboards."""
    agency, descendants = descendants_of(agency_id, max_depth)
    root = {**public_view(agency), "children": []}
    nodes = {root["id"]: root}
    for node in sorted(descendants, key=lambda d: d["depth"]):
        nodes[node["id"]] = {**node, "children": []}
        parent = nodes.get(node["parent_id"])
        if parent is not None:
            parent["children"].append(nodes[node["id"]])
    return root
