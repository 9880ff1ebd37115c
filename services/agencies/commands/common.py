"""What every agencies command shares: the parent-type rules, refusals and the one way to write."""
from __future__ import annotations

from typing import Any

from flask import current_app

from shared.audit import audit_entry, flush_audit_of
from shared.events.contracts import EventContract
from shared.http.problems import Problem
from shared.outbox import change_with_event
from services.agencies import SERVICE
from services.agencies.adapters.documents import audited_state_of, collection, now, snapshot_of
from services.agencies.domain.agency import DEFAULT_PARENT_RULES, AgencyRuleViolation, ParentRules


def parent_rules() -> ParentRules:
    return current_app.config.get("AGENCY_PARENT_RULES", DEFAULT_PARENT_RULES)


def invalid(field: str, message: str) -> Problem:
    return Problem(422, "One or more fields are invalid; see errors.", errors={field: [message]})


def refused(violation: AgencyRuleViolation) -> Problem:
    """A structural change the registry refuses (cycle, inactive parent, type rule): 409 with the reason."""
    return Problem(409, f"Refused: {violation}.", type_="structure-conflict")


def expected_version(agency: dict, if_match: int | None) -> int:
    """The version a write must find: the client's If-Match, else the version just read."""
    if if_match is not None and if_match != agency["version"]:
        raise Problem(412, f"The agency is at version {agency['version']}, not {if_match}; fetch it again.")
    return agency["version"] if if_match is None else if_match


def write_change(agency: dict, changes: dict[str, Any], contract: EventContract, *, action: str, version: int,
                 extra: dict[str, Any] | None = None, reason: str | None = None) -> dict:
    """Apply `changes` to `agency` with its event and audit record, if it is still at `version`.

    Returns the agency as stored after the change; 412 if someone changed it first."""
    after = {**agency, **changes, "updated_at": now(), "version": version + 1}
    event = contract.build(source=SERVICE, subject=agency["_id"], sequence=version + 1,
                           data={"agency": snapshot_of(after), **(extra or {})})
    audit = audit_entry(action=action, entity_type="agency", entity_id=agency["_id"], agency_id=agency["_id"],
                        agency_path=after.get("path") or (), before=audited_state_of(agency),
                        after=audited_state_of(after), reason=reason)
    if not change_with_event(collection(), agency["_id"], version, {**changes, "updated_at": after["updated_at"]},
                             event, audit):
        raise Problem(412, "The agency changed while this request was handled; fetch it again and retry.")
    flush_audit_of(collection(), agency["_id"])
    return after
