"""What every reforms command shares: its context, and the agency and indicator checks."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from shared.auth.directory import active_agency as require_active
from shared.auth.policy import Action
from shared.commands import KNOWN_HERE, ReplicaContext
from shared.errors import Invalid
from services.reforms.adapters.repository import ReformsRepository


@dataclass(frozen=True)
class ReformsContext(ReplicaContext):
    repo: ReformsRepository

    def organiser(self, action: Action) -> Callable[[dict], dict]:
        """The store's access check for an activity: the caller may perform `action` on its organiser's data."""
        return self.owner(action, "organiser_agency_id")


def active_agencies(ctx: ReformsContext, agency_ids: list[str], field: str) -> dict[str, dict]:
    """Every named agency, in one lookup; Invalid naming each unknown or inactive one (by position)."""
    found = ctx.repo.agencies(agency_ids)
    errors: dict[str, list[str]] = {}
    for index, agency_id in enumerate(agency_ids):
        try:
            require_active(found.get(agency_id), agency_id, f"{field}.{index}.agency_id", KNOWN_HERE)
        except Invalid as err:
            for name, messages in err.errors.items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise Invalid(errors)
    return found


def linkable_indicators(ctx: ReformsContext, indicator_ids: list[str]) -> None:
    """Linked indicators must be known (from indicator events) and still reported (not retired)."""
    found = ctx.repo.indicators(indicator_ids)
    problems = []
    for indicator_id in indicator_ids:
        indicator = found.get(indicator_id)
        if indicator is None:
            problems.append(f"no indicator {indicator_id}{KNOWN_HERE}")
        elif indicator["status"] != "active":
            problems.append(f"indicator {indicator['code']} ({indicator_id}) is retired")
    if problems:
        raise Invalid({"linked_indicator_ids": problems})
