"""What every reforms command shares: its context, agency and indicator checks, versions and audit."""
from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Callable, TypeVar

from shared.audit import audit_entry
from shared.auth.directory import active_agency as require_active, permitted_agency
from shared.auth.policy import Action
from shared.auth.tokens import Principal
from shared.errors import Invalid, StaleVersion, Unavailable
from services.reforms.adapters.repository import ReformsRepository

KNOWN_HERE = " is known to this service"  # the replica may not have caught up with the registry yet
STALE_RETRIES = 20

T = TypeVar("T")


@dataclass(frozen=True)
class ReformsContext:
    principal: Principal
    repo: ReformsRepository


def active_agency(ctx: ReformsContext, agency_id: str, field: str) -> dict:
    """The agency as this service's replica knows it; Invalid unless it exists and is active."""
    return require_active(ctx.repo.agency(agency_id), agency_id, field, KNOWN_HERE)


def authorized_agency(ctx: ReformsContext, agency_id: str, action: Action) -> dict:
    """The agency (existing, any status) if the caller may perform `action` on its data."""
    return permitted_agency(ctx.principal, action, ctx.repo.agency(agency_id), agency_id, KNOWN_HERE)


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


def expected_version(state: dict, if_match: int | None, noun: str) -> int:
    if if_match is not None and if_match != state["version"]:
        raise StaleVersion(f"The {noun} is at version {state['version']}, not {if_match}; fetch it again.",
                           current_version=state["version"])
    return state["version"]


def retrying_when_stale(if_match: int | None, attempt: Callable[[], T]) -> T:
    """Run a read-check-write `attempt`; when the caller named no version (no If-Match), a concurrent
    change is not their conflict: read again and retry, with a short random pause so that contenders
    spread out (e.g. desks registering people at once). Unavailable (503, retry) if it never gets through."""
    for tried in range(1, STALE_RETRIES + 1):
        try:
            return attempt()
        except StaleVersion:
            if if_match is not None:
                raise
            time.sleep(random.uniform(0, 0.002 * tried))
    raise Unavailable(f"The record changed {STALE_RETRIES} times while this request tried to change it; "
                      "try again.", retry_after_s=1)


def audit(ctx: ReformsContext, action: str, entity_type: str, entity_id: str, agency: dict, before, after,
          reason: str | None = None) -> dict:
    return audit_entry(ctx.principal, action=action, entity_type=entity_type, entity_id=entity_id,
                       agency_id=agency["id"], agency_path=[*agency.get("path", []), agency["id"]],
                       before=before, after=after, reason=reason)
