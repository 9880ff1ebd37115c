"""Who may do what, where. Pure rules: no Flask, no database.

Every role but admin is scoped to the agency subtree rooted at the token's `agency_id`: the
agency itself and every agency whose `path` contains it.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from shared.auth.tokens import Principal
from shared.errors import Forbidden


class Action(str, Enum):
    READ = "read"
    WRITE = "write"
    VERIFY = "verify"
    AUDIT = "audit"


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    "admin": frozenset(Action),
    "evaluator": frozenset({Action.READ, Action.VERIFY, Action.AUDIT}),
    "operator": frozenset({Action.READ, Action.WRITE}),
    "viewer": frozenset({Action.READ}),
}


@dataclass(frozen=True)
class AgencyRef:
    """What authorization needs to know about an agency: where it sits and whether it is active."""

    id: str
    path: tuple[str, ...]
    status: str = "active"


def in_scope(principal: Principal, agency: AgencyRef) -> bool:
    return principal.role == "admin" or agency.id == principal.agency_id or principal.agency_id in agency.path


def authorize(principal: Principal, action: Action, agency: AgencyRef | None) -> None:
    """Raise Forbidden unless `principal` may perform `action` on data of `agency`.

    `agency=None` means the whole registry (e.g. creating a root agency): only admins may."""
    scope = agency.id if agency else "registry"
    if action not in ROLE_ACTIONS[principal.role]:
        raise Forbidden(f"Forbidden: the {principal.role} role may not {action.value}.", action.value, scope)
    if principal.role == "admin":
        return
    if agency is None:
        raise Forbidden(f"Forbidden: {action.value} outside any agency subtree requires the admin role.",
                        action.value, scope)
    if not in_scope(principal, agency):
        raise Forbidden(f"Forbidden: {action.value} on agency {agency.id} requires a token scoped to it or one of "
                        f"its ancestors (this token is scoped to {principal.agency_id}).", action.value, scope)


def require_role(principal: Principal, action: Action) -> None:
    """Refuse unless the role allows `action` somewhere (lists then filter by scope)."""
    if action not in ROLE_ACTIONS[principal.role]:
        raise Forbidden(f"Forbidden: the {principal.role} role may not {action.value}.", action.value)


def scope_filter(principal: Principal, id_field: str = "_id", path_field: str = "path") -> dict:
    """A MongoDB filter keeping only records of agencies inside the principal's subtree."""
    if principal.role == "admin":
        return {}
    return {"$or": [{id_field: principal.agency_id}, {path_field: principal.agency_id}]}
