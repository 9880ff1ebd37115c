"""What every command of every service shares: who asks, the kinds of aggregates, and the Change a command
decides. Pure: no Flask, no HTTP, no MongoDB.

A command reads, checks its rules and DECIDES a `Change`; the aggregate store (shared.store.aggregates)
writes it: the new fields, the event that tells others about them and the audit record, in one
single-document write guarded by the version. `CommandContext.created` and `.changed` build a Change the
same way everywhere: one clock reading for every timestamp it writes (updated_at, the history entry, the
audit record), the event carrying the aggregate's snapshot after the change, and the audit record of the
principal with the audited state before and after.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Mapping

from shared.audit import audit_entry
from shared.auth.directory import active_agency, permitted_agency
from shared.auth.policy import Action
from shared.auth.tokens import Principal
from shared.clock import now
from shared.events.contracts import EventContract


@dataclass(frozen=True)
class NewEvent:
    """What a command wants to tell the world: an event type and its data. The store stamps the
    envelope (id, source, subject = the aggregate id, sequence = the aggregate's new version)."""

    contract: EventContract
    data: dict[str, Any]


@dataclass(frozen=True)
class Kind:
    """A kind of aggregate: how its events and audit records show it.

    `name` is the key of its snapshot in every event's data (`{"agency": {...}}`) and, unless
    `entity_type` says otherwise, the entity type of its audit records; `snapshot` is what its events
    carry; `audited` what its audit records show before and after (default: the snapshot); `searchable`
    the fields whose words `q` finds (shared.search: the store keeps their terms)."""

    name: str
    snapshot: Callable[[Mapping[str, Any]], dict]
    audited: Callable[[Mapping[str, Any]], dict] | None = None
    entity_type: str | None = None
    searchable: tuple[str, ...] = ()
    label: str | None = None  # what messages call it (default: its name, with spaces)

    @property
    def noun(self) -> str:
        return self.label or (self.entity_type or self.name).replace("_", " ")

    def audited_state(self, state: Mapping[str, Any]) -> dict:
        return (self.audited or self.snapshot)(state)


@dataclass(frozen=True)
class Change:
    """One write a command decided: the fields to set (for a new aggregate, its whole state) and to
    unset, the event, the audit record, and `after`, the state once written (without the version).

    `expect` names other fields that must still hold the values the command read (compared with the
    version, in the same write): a write that finds them changed is decided again, whatever If-Match said,
    because the client's version still holds."""

    fields: dict[str, Any]
    after: dict[str, Any]
    event: NewEvent | None = None
    audit: dict[str, Any] | None = None
    unset: tuple[str, ...] = ()
    expect: Mapping[str, Any] = field(default_factory=dict)


# The `agency` of a change that belongs to no agency (a rule pack): only admins see its audit records.
NO_AGENCY: Mapping[str, Any] = {"id": None, "path": ()}


def _scope(agency: Mapping[str, Any]) -> tuple[str | None, list[str]]:
    """The agency an audit record belongs to, and the path the audit trail's scope filter reads."""
    if agency["id"] is None:
        return None, []
    return agency["id"], [*agency.get("path", ()), agency["id"]]


@dataclass(frozen=True)
class CommandContext:
    """Who asks (`principal`) and the clock commands stamp with. Each service's context adds where its
    aggregates are kept."""

    principal: Principal

    def clock(self) -> datetime:
        return now()

    def created(self, kind: Kind, state: dict[str, Any], contract: EventContract | None, *, action: str,
                agency: Mapping[str, Any] | None = None, extra: Mapping[str, Any] | None = None,
                reason: str | None = None, history: Mapping[str, Any] | None = None, audited: bool = True,
                at: datetime | None = None) -> Change:
        """A new aggregate (`state` with its `id`), stamped `created_at` and `updated_at`.

        `agency` is whose data it is (the audit trail's scope; None: the aggregate is that agency);
        `extra` joins the snapshot in the event's data; `history` is the first entry of the aggregate's
        `history` (with `at` and `by` added); `at` is the moment of the change, when the command stamped
        fields of its own with it too (default: now)."""
        at = at or self.clock()
        after = {**state, "created_at": state.get("created_at") or at, "updated_at": at}
        if history is not None:
            after["history"] = [{"at": at, "by": self.principal.sub, **history}]
        return Change(fields=after, after=after, event=self._event(kind, contract, after, extra),
                      audit=self._audit(kind, action, None, after, agency, reason, at) if audited else None)

    def changed(self, kind: Kind, before: Mapping[str, Any], fields: Mapping[str, Any],
                contract: EventContract | None, *, action: str, agency: Mapping[str, Any] | None = None,
                extra: Mapping[str, Any] | None = None, reason: str | None = None,
                history: Mapping[str, Any] | None = None, unset: tuple[str, ...] = (),
                expect: Mapping[str, Any] | None = None, audited: bool = True, at: datetime | None = None) -> Change:
        """`before` with `fields` set (and `unset` removed), stamped `updated_at`; `history` appends an
        entry to the aggregate's history. The rest as for `created`; `audited=False` for derived
        changes whose cause has its own audit record (a move's path rewrites)."""
        at = at or self.clock()
        fields = {**fields, "updated_at": at}
        if history is not None:
            fields["history"] = [*before.get("history", ()), {"at": at, "by": self.principal.sub, **history}]
        after = {k: v for k, v in {**before, **fields}.items() if k not in unset}
        return Change(fields=fields, after=after, event=self._event(kind, contract, after, extra),
                      audit=self._audit(kind, action, before, after, agency, reason, at) if audited else None,
                      unset=unset, expect=dict(expect or {}))

    @staticmethod
    def _event(kind: Kind, contract: EventContract | None, after: Mapping[str, Any],
               extra: Mapping[str, Any] | None) -> NewEvent | None:
        return None if contract is None else NewEvent(contract, {kind.name: kind.snapshot(after), **(extra or {})})

    def _audit(self, kind: Kind, action: str, before: Mapping[str, Any] | None, after: Mapping[str, Any],
               agency: Mapping[str, Any] | None, reason: str | None, at: datetime) -> dict[str, Any]:
        agency_id, path = _scope(agency if agency is not None else after)
        return audit_entry(self.principal, action=action, entity_type=kind.entity_type or kind.name,
                           entity_id=str(after["id"]), agency_id=agency_id, agency_path=path,
                           before=kind.audited_state(before) if before is not None else None,
                           after=kind.audited_state(after), reason=reason, at=at)


# The replica of a service may not have caught up with the registry yet: refusals say "known to this service".
KNOWN_HERE = " is known to this service"


@dataclass(frozen=True)
class ReplicaContext(CommandContext):
    """The context of a service that knows agencies from its replica of the registry (`repo.directory`)."""

    repo: Any

    def active_agency(self, agency_id: str, field: str = "agency_id") -> dict:
        """The agency as this service's replica knows it; Invalid for `field` unless it exists and is active."""
        return active_agency(self.repo.directory.agency(agency_id), agency_id, field, KNOWN_HERE)

    def authorized_agency(self, agency_id: str, action: Action) -> dict:
        """The agency (existing, any status) if the caller may perform `action` on its data."""
        return permitted_agency(self.principal, action, self.repo.directory.agency(agency_id), agency_id, KNOWN_HERE)

    def owner(self, action: Action, field: str = "agency_id") -> Callable[[Mapping[str, Any]], dict]:
        """The store's access check for an aggregate that belongs to the agency named by its `field`: the
        caller may perform `action` on that agency's data. Hands the agency to `decide`."""
        return lambda state: self.authorized_agency(state[field], action)
