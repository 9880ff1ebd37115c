"""Read side of the registry: lists, children, ancestors, descendants and nested subtrees, each
limited to what the caller may read."""
from __future__ import annotations

from shared.auth.directory import permitted_agency, ref_of
from shared.auth.policy import Action, in_scope, scope_filter
from shared.auth.tokens import Principal
from shared.errors import Invalid
from shared.search import matching
from services.agencies.adapters.repository import AgencyRepository

MAX_TREE_NODES = 5000
BREADCRUMB_FIELDS = ("id", "code", "name", "type")


def readable(principal: Principal, agencies: AgencyRepository, agency_id: str) -> dict:
    return permitted_agency(principal, Action.READ, agencies.get(agency_id), agency_id)


def _page(agencies: AgencyRepository, selector: dict, query: dict, sort: list[tuple[str, int]]) -> dict:
    items, total = agencies.page(selector, sort, query["page"], query["page_size"])
    return {"items": items, "page": query["page"], "page_size": query["page_size"], "total": total}


def list_agencies(principal: Principal, agencies: AgencyRepository, query: dict) -> dict:
    """Filtered, sorted page of the agencies the caller may read."""
    conditions = [scope_filter(principal)] if principal.role != "admin" else []
    for field in ("type", "status", "parent_id"):
        if field in query:
            conditions.append({field: query[field]})
    if query.get("root_only"):
        conditions.append({"parent_id": None})
    if query.get("q"):
        conditions.append(matching(query["q"]))  # words of the name, short name or code starting so
    selector = {"$and": conditions} if conditions else {}
    # Codes are unique; other fields are tied by _id in the same direction, which their compound
    # indexes (field, _id) serve in either direction.
    sort_field = query.get("sort", "code")
    direction = -1 if sort_field.startswith("-") else 1
    field = sort_field.lstrip("-")
    sort = [(field, direction)] if field == "code" else [(field, direction), ("_id", direction)]
    return _page(agencies, selector, query, sort)


def children_of(principal: Principal, agencies: AgencyRepository, agency_id: str, query: dict) -> dict:
    """A page of direct children, by code (a subtree scope reads all of them once it reads the parent)."""
    readable(principal, agencies, agency_id)
    return _page(agencies, {"parent_id": agency_id}, query, [("code", 1)])


def ancestors_of(principal: Principal, agencies: AgencyRepository, agency_id: str) -> list[dict]:
    """The path from the root down to the parent. Ancestors above the caller's scope appear as a
    breadcrumb only (id, code, name, type, `restricted: true`): where the agency sits, nothing more."""
    agency = readable(principal, agencies, agency_id)
    found = {d["id"]: d for d in agencies.store.find({"_id": {"$in": agency["path"]}})}
    trail = []
    for ancestor_id in agency["path"]:
        ancestor = found.get(ancestor_id)
        if ancestor is None:
            continue
        if in_scope(principal, ref_of(ancestor)):
            trail.append(ancestor)
        else:
            trail.append({**{k: ancestor[k] for k in BREADCRUMB_FIELDS}, "restricted": True})
    return trail


def _depth_filter(agency: dict, max_depth: int | None) -> dict:
    selector: dict = {"path": agency["id"]}
    if max_depth is not None:
        # A descendant at most max_depth levels down has no path element at index len(path)+max_depth.
        selector[f"path.{len(agency['path']) + max_depth}"] = {"$exists": False}
    return selector


def _with_depth(agency: dict, node: dict) -> dict:
    return {**node, "depth": len(node["path"]) - len(agency["path"])}


def descendants_of(principal: Principal, agencies: AgencyRepository, agency_id: str, query: dict) -> dict:
    """A page of every agency below this one (at most `max_depth` levels), by code, each with its depth."""
    agency = readable(principal, agencies, agency_id)
    page = _page(agencies, _depth_filter(agency, query.get("max_depth")), query, [("code", 1)])
    return {**page, "items": [_with_depth(agency, node) for node in page["items"]]}


def subtree_of(principal: Principal, agencies: AgencyRepository, agency_id: str, max_depth: int | None) -> dict:
    """The agency and its descendants nested under `children`, for dashboards."""
    agency = readable(principal, agencies, agency_id)
    descendants = agencies.store.find(_depth_filter(agency, max_depth), sort=[("code", 1)], limit=MAX_TREE_NODES + 1)
    if len(descendants) > MAX_TREE_NODES:
        raise Invalid.field("max_depth", f"more than {MAX_TREE_NODES} descendants; pass a smaller max_depth")
    root = {**agency, "children": []}
    nodes = {root["id"]: root}
    for node in sorted((_with_depth(agency, d) for d in descendants), key=lambda d: d["depth"]):
        nodes[node["id"]] = {**node, "children": []}
        parent = nodes.get(node["parent_id"])
        if parent is not None:
            parent["children"].append(nodes[node["id"]])
    return root
