"""Agency rules that know nothing of Flask, MongoDB or Kafka. Agencies are plain dicts in their public
form: `id`, `code`, `name`, `short_name`, `type`, `parent_id`, `path` (ancestor ids, root first),
`status`, `head`, `contact`, `version`."""
from __future__ import annotations

import json
from typing import Mapping

from shared.commands import Kind

ROOT = None

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$"
TYPE_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"

# Which parent types each type may sit under (None = may be a root). Ministries and national
# institutions (K/L, e.g. LAN) and provinces are roots; regencies and cities sit under a province;
# work units under any government; sub-units under a work unit or another sub-unit.
DEFAULT_PARENT_RULES: dict[str, tuple[str | None, ...]] = {
    "ministry": (ROOT,),
    "institution": (ROOT,),
    "province": (ROOT,),
    "regency": ("province",),
    "city": ("province",),
    "work_unit": ("ministry", "institution", "province", "regency", "city"),
    "sub_unit": ("work_unit", "sub_unit"),
}

ParentRules = Mapping[str, tuple[str | None, ...]]


class AgencyRuleViolation(ValueError):
    """The requested structure breaks a registry rule; `field` names the input at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def parse_parent_rules(text: str) -> ParentRules:
    """Rules from JSON such as {"province": [null], "regency": ["province"], ...}: every type listed,
    every parent type itself a listed type. Raises ValueError saying what is wrong."""
    raw = json.loads(text)
    if not isinstance(raw, dict) or not raw:
        raise ValueError("agency rules must be a non-empty JSON object of type -> allowed parent types")
    rules: dict[str, tuple[str | None, ...]] = {}
    for agency_type, parents in raw.items():
        if not isinstance(parents, list) or not parents:
            raise ValueError(f"{agency_type}: allowed parents must be a non-empty list (null = may be a root)")
        unknown = [p for p in parents if p is not None and p not in raw]
        if unknown:
            raise ValueError(f"{agency_type}: unknown parent types {unknown}")
        rules[agency_type] = tuple(parents)
    return rules


def check_placement(agency_type: str, parent: dict | None, rules: ParentRules = DEFAULT_PARENT_RULES) -> None:
    """Refuse an agency of `agency_type` under `parent` (a stored agency, or None for a root)."""
    if agency_type not in rules:
        raise AgencyRuleViolation("type", f"unknown agency type {agency_type!r} (known: {', '.join(rules)})")
    allowed = rules[agency_type]
    if parent is None:
        if ROOT not in allowed:
            raise AgencyRuleViolation("parent_id", f"a {agency_type} needs a parent ({', '.join(a for a in allowed if a)})")
        return
    if parent["status"] != "active":
        raise AgencyRuleViolation("parent_id", f"parent {parent['code']} is inactive")
    if parent["type"] not in allowed:
        options = ", ".join(a or "none" for a in allowed)
        raise AgencyRuleViolation("parent_id", f"a {agency_type} cannot sit under a {parent['type']} (allowed: {options})")


def check_move(agency: dict, new_parent: dict | None, rules: ParentRules = DEFAULT_PARENT_RULES) -> None:
    """Refuse moving `agency` under `new_parent`: no cycles, no inactive parent, type rules hold."""
    if new_parent is not None and (new_parent["id"] == agency["id"] or agency["id"] in new_parent["path"]):
        raise AgencyRuleViolation("parent_id", f"{new_parent['code']} is {agency['code']} itself or one of its "
                                               "descendants; the move would create a cycle")
    check_placement(agency["type"], new_parent, rules)


def path_under(parent: dict | None) -> list[str]:
    """Ancestor ids of a child of `parent`, root first."""
    return [] if parent is None else [*parent["path"], parent["id"]]


def snapshot_of(agency: dict) -> dict:
    """What other services' replicas hold about an agency (the event contract's shape)."""
    return {"id": agency["id"], "code": agency["code"], "name": agency["name"], "short_name": agency.get("short_name"),
            "type": agency["type"], "parent_id": agency.get("parent_id"), "path": list(agency.get("path") or ()),
            "status": agency["status"], "head": _head(agency.get("head"))}


def _head(head: dict | None) -> dict | None:
    return {"name": head["name"], "title": head["title"]} if head else None


def audited_state_of(agency: dict) -> dict:
    """The fields an audit record shows before and after a change."""
    return {**snapshot_of(agency), "head": agency.get("head"), "contact": agency.get("contact")}


AGENCY = Kind("agency", snapshot_of, audited=audited_state_of, searchable=("name", "short_name", "code"))
