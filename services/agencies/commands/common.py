"""What every agencies command shares: its context, refusals and who may touch an agency."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from shared.auth.directory import permitted_agency
from shared.auth.policy import Action
from shared.auth.tokens import Principal
from shared.commands import CommandContext
from shared.errors import Conflict, Invalid
from services.agencies.adapters.repository import AgencyRepository
from services.agencies.domain.agency import AgencyRuleViolation, ParentRules

# Who the worker acts as when it finishes work a request left half done.
SYSTEM = Principal(sub="system:agencies-worker", role="admin", agency_id="*")


@dataclass(frozen=True)
class AgencyContext(CommandContext):
    """Everything a command needs: who asks, and where agencies are kept (with the registry's type rules)."""

    agencies: AgencyRepository

    @property
    def rules(self) -> ParentRules:
        return self.agencies.rules


def invalid(violation: AgencyRuleViolation) -> Invalid:
    return Invalid.field(violation.field, str(violation))


def refused(violation: AgencyRuleViolation) -> Conflict:
    """A structural change the registry refuses (cycle, inactive parent, type rule), with the reason."""
    return Conflict(f"Refused: {violation}.", kind="structure-conflict")


def may(ctx: AgencyContext, action: Action) -> Callable[[dict], dict]:
    """The store's access check: the caller may perform `action` on the agency it loaded."""
    return lambda agency: permitted_agency(ctx.principal, action, agency, agency["id"])


def existing(ctx: AgencyContext, agency_id: str, action: Action) -> dict:
    """The agency, if it exists and the caller may perform `action` on it."""
    return permitted_agency(ctx.principal, action, ctx.agencies.get(agency_id), agency_id)


def parent_for(ctx: AgencyContext, parent_id: str | None, found: dict | None = None) -> dict | None:
    """The parent named by an input (None for a root); Invalid if there is no such agency. `found` is the
    parent as already looked up (e.g. by the placement marker), if it was."""
    if parent_id is None:
        return None
    parent = found if found is not None else ctx.agencies.get(parent_id)
    if parent is None:
        raise Invalid.field("parent_id", f"no agency {parent_id}")
    return parent
