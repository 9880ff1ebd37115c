"""What every agencies command shares: its context, refusals and the one way to write a change."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.audit import audit_entry
from shared.auth.directory import permitted_agency
from shared.clock import now
from shared.auth.policy import Action
from shared.auth.tokens import Principal
from shared.errors import Conflict, Invalid, StaleVersion
from shared.events.contracts import EventContract
from shared.store.aggregates import NewEvent
from services.agencies.adapters.repository import AgencyRepository
from services.agencies.domain.agency import (DEFAULT_PARENT_RULES, AgencyRuleViolation, ParentRules,
                                             audited_state_of, snapshot_of)

# Who the worker acts as when it finishes work a request left half done.
SYSTEM = Principal(sub="system:agencies-worker", role="admin", agency_id="*")


@dataclass(frozen=True)
class AgencyContext:
    """Everything a command needs: who asks, where agencies are kept, and the registry's type rules."""

    principal: Principal
    agencies: AgencyRepository
    rules: ParentRules = field(default_factory=lambda: DEFAULT_PARENT_RULES)



def invalid(violation: AgencyRuleViolation) -> Invalid:
    return Invalid.field(violation.field, str(violation))


def refused(violation: AgencyRuleViolation) -> Conflict:
    """A structural change the registry refuses (cycle, inactive parent, type rule), with the reason."""
    return Conflict(f"Refused: {violation}.", kind="structure-conflict")


def expected_version(agency: dict, if_match: int | None) -> int:
    """The version a write must find: the client's If-Match, else the version just read."""
    if if_match is not None and if_match != agency["version"]:
        raise StaleVersion(f"The agency is at version {agency['version']}, not {if_match}; fetch it again.",
                           current_version=agency["version"])
    return agency["version"]


def existing(ctx: AgencyContext, agency_id: str, action: Action) -> dict:
    """The agency, if it exists and the caller may perform `action` on it."""
    return permitted_agency(ctx.principal, action, ctx.agencies.get(agency_id), agency_id)


def parent_for(ctx: AgencyContext, parent_id: str | None) -> dict | None:
    """The parent named by an input (None for a root); Invalid if there is no such agency."""
    if parent_id is None:
        return None
    parent = ctx.agencies.get(parent_id)
    if parent is None:
        raise Invalid.field("parent_id", f"no agency {parent_id}")
    return parent


def write_change(ctx: AgencyContext, agency: dict, changes: dict[str, Any], contract: EventContract, *, action: str,
                 version: int, extra: dict[str, Any] | None = None, reason: str | None = None) -> dict:
    """Apply `changes` with their event and audit record if the agency is still at `version`.
    Returns the agency after the change; StaleVersion if someone changed it first."""
    changes = {**changes, "updated_at": now()}
    after = {**agency, **changes}
    event = NewEvent(contract, {"agency": snapshot_of(after), **(extra or {})})
    audit = audit_entry(ctx.principal, action=action, entity_type="agency", entity_id=agency["id"],
                        agency_id=agency["id"], agency_path=after.get("path") or (), before=audited_state_of(agency),
                        after=audited_state_of(after), reason=reason)
    return ctx.agencies.store.change(agency["id"], version, changes, event, audit)
