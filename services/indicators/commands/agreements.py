"""Performance agreements (Perjanjian Kinerja): drafted and signed by the agency's operators, revised with a
reason once signed; the targets of the version in force are applied to its indicators by the worker
(`apply_agreement_targets`, on the signed and revised events), and no other target write for them and
that year is accepted meanwhile (commands.indicators.refuse_if_agreed)."""
from __future__ import annotations

import logging
import uuid

from shared.auth.directory import ref_of
from shared.auth.policy import Action, authorize
from shared.commands import Change
from shared.contracts.indicators import AGREEMENT_REVISED, AGREEMENT_SIGNED
from shared.errors import Conflict, Invalid, NotFound
from services.indicators.commands.common import IndicatorsContext, refuse_if_locked
from services.indicators.commands.indicators import target_change
from services.indicators.domain.agreements import (AGREEMENT, DRAFT, SIGNED, content_of, frozen_targets, in_force,
                                                   indicator_ids, target_revisions, targets_of)
from services.indicators.domain.periods import Period
from services.indicators.domain.plans import objectives

log = logging.getLogger(__name__)
CONTENT_FIELDS = ("objectives", "budget", "place", "head", "superior")


def _content(ctx: IndicatorsContext, agency: dict, year: int, fields: dict) -> dict:
    """The content checked against the agency's active indicators and its plan for the year."""
    indicators = {i["id"]: i for i in ctx.repo.indicators_of([agency["id"]])[agency["id"]]}
    plan = ctx.repo.plans_covering([agency["id"]], year).get(agency["id"])
    return content_of(fields, indicators, {o["id"]: o for o in objectives(plan)} if plan else {})


def draft_agreement(ctx: IndicatorsContext, fields: dict) -> dict:
    """A draft of an active agency the caller may write to; one agreement per agency and year."""
    agency = ctx.active_agency(fields["agency_id"])
    authorize(ctx.principal, Action.WRITE, ref_of(agency))
    content = _content(ctx, agency, fields["year"], fields)
    state = {"id": str(uuid.uuid4()), "agency_id": agency["id"], "year": fields["year"], "status": DRAFT,
             "draft": content, "versions": [], "version_in_force": None, "indicator_ids": indicator_ids(content)}
    try:
        return ctx.repo.agreements.create(ctx.created(AGREEMENT, state, None, action="draft", agency=agency,
                                                      history={"action": "draft"}))
    except Conflict as err:
        if err.kind == "duplicate":
            raise Conflict(f"Agency {agency['code']} already has a performance agreement for {fields['year']}; "
                           "change that one.", kind="duplicate") from None
        raise


def update_draft(ctx: IndicatorsContext, agreement_id: str, fields: dict, if_match: int | None) -> dict:
    def decide(agreement: dict, agency: dict) -> Change | None:
        if agreement["status"] != DRAFT:
            raise Conflict("A signed agreement changes through a revision (PK perubahan).", kind="signed",
                           version_in_force=agreement["version_in_force"])
        ctx.active_agency(agency["id"])
        content = _content(ctx, agency, agreement["year"], {**agreement["draft"], **fields})
        if content == agreement["draft"]:
            return None
        return ctx.changed(AGREEMENT, agreement, {"draft": content, "indicator_ids": indicator_ids(content)}, None,
                           action="update_draft", agency=agency, history={"action": "update_draft"})
    return ctx.repo.agreements.update(agreement_id, decide, if_match=if_match, access=ctx.owner(Action.WRITE))


def _signatories(ctx: IndicatorsContext, agency: dict, content: dict) -> tuple[dict, dict]:
    """The head and the superior as the agreement names them, else as the registry has them now."""
    head = content.get("head") or agency.get("head")
    if not head:
        raise Invalid.field("head", f"the registry names no head of {agency['code']}: name the head who signs")
    superior = content.get("superior")
    if not superior:
        parent = ctx.repo.agency(agency["parent_id"]) if agency.get("parent_id") else None
        if not parent or not parent.get("head"):
            raise Invalid.field("superior", "the registry names no head of the parent agency: name the superior")
        superior = {**parent["head"], "agency_id": parent["id"]}
    return ({"name": head["name"], "title": head["title"], "agency_id": agency["id"]},
            {"name": superior["name"], "title": superior["title"], "agency_id": superior.get("agency_id")})


def _refuse_if_year_locked(ctx: IndicatorsContext, agency: dict, year: int) -> None:
    for quarter in range(1, 5):  # a lock of the year or of any quarter (checked with the year)
        refuse_if_locked(ctx, agency, Period(year, quarter))


def _version(ctx: IndicatorsContext, number: int, content: dict, head: dict, superior: dict, reason: str | None,
             revisions: list[dict]) -> dict:
    return {"number": number, "reason": reason, "signed_by": ctx.principal.sub,
            "signed_at": ctx.clock().isoformat(), "head": head, "superior": superior,
            "objectives": content["objectives"], "budget": content["budget"], "place": content.get("place"),
            "target_revisions": revisions}


def sign_agreement(ctx: IndicatorsContext, agreement_id: str, if_match: int | None) -> dict:
    """The draft becomes version 1, in force; its targets are then applied to its indicators."""
    def decide(agreement: dict, agency: dict) -> Change:
        if agreement["status"] != DRAFT:
            raise Conflict(f"The agreement is signed already (version {agreement['version_in_force']} in force); "
                           "revise it to change it.", kind="signed", version_in_force=agreement["version_in_force"])
        agency = ctx.active_agency(agency["id"])
        content = _content(ctx, agency, agreement["year"], agreement["draft"])  # an indicator retired since?
        _refuse_if_year_locked(ctx, agency, agreement["year"])
        head, superior = _signatories(ctx, agency, content)
        version = _version(ctx, 1, content, head, superior, None, [])
        return ctx.changed(AGREEMENT, agreement, {"status": SIGNED, "draft": content, "versions": [version],
                                                  "version_in_force": 1, "indicator_ids": indicator_ids(content),
                                                  "frozen_targets": frozen_targets(content, agreement["year"])},
                           AGREEMENT_SIGNED, action="sign", agency=agency, history={"action": "sign", "version": 1})
    return ctx.repo.agreements.update(agreement_id, decide, if_match=if_match, access=ctx.owner(Action.WRITE))


def revise_agreement(ctx: IndicatorsContext, agreement_id: str, fields: dict, if_match: int | None) -> dict:
    """A new version of a signed agreement (PK perubahan), with its reason and the target revisions it makes;
    the older versions stay readable."""
    def decide(agreement: dict, agency: dict) -> Change:
        if agreement["status"] != SIGNED:
            raise Conflict("A draft is changed, not revised; sign it first.", kind="draft")
        agency = ctx.active_agency(agency["id"])
        current = in_force(agreement)
        given = {k: v for k, v in fields.items() if k in CONTENT_FIELDS}
        # Signatories the agreement named stay named; else the registry's, as it is now.
        named = {k: agreement["draft"].get(k) for k in ("head", "superior")}
        content = _content(ctx, agency, agreement["year"], {**current, **named, **given})
        unchanged = {k: current[k] for k in ("objectives", "budget")} == {k: content[k] for k in ("objectives", "budget")}
        if unchanged:
            raise Invalid.field("objectives", "the revision changes neither a target, an indicator nor the budget")
        _refuse_if_year_locked(ctx, agency, agreement["year"])
        head, superior = _signatories(ctx, agency, content)
        number = agreement["version_in_force"] + 1
        version = _version(ctx, number, content, head, superior, fields["reason"],
                           target_revisions(current, content, agreement["year"]))
        return ctx.changed(AGREEMENT, agreement, {"versions": [*agreement["versions"], version],
                                                  "version_in_force": number, "draft": content,
                                                  "indicator_ids": indicator_ids(content),
                                                  "frozen_targets": frozen_targets(content, agreement["year"])},
                           AGREEMENT_REVISED, action="revise", agency=agency, reason=fields["reason"],
                           history={"action": "revise", "version": number, "reason": fields["reason"]})
    return ctx.repo.agreements.update(agreement_id, decide, if_match=if_match, access=ctx.owner(Action.WRITE))


def apply_agreement_targets(ctx: IndicatorsContext, agreement_id: str) -> int:
    """Set the targets of the version in force on its indicators where they differ, and take away those an
    earlier version set that this one no longer does (the worker, on the signed and revised events: a
    redelivered or older event finds them as they should be and changes nothing). Returns how many
    indicators changed."""
    agreement = ctx.repo.agreements.get(agreement_id)
    version = in_force(agreement) if agreement else None
    if version is None:
        return 0
    reason = f"PK {agreement['year']} versi {version['number']}" + (f": {version['reason']}" if version["reason"] else "")
    wanted = targets_of(version, agreement["year"])
    # Every indicator any version of it held: one dropped by a revision gives its agreed targets back too.
    held = {row["indicator_id"] for v in agreement["versions"] for o in v["objectives"] for row in o["indicators"]}
    changed = 0
    for indicator_id in sorted(held):
        targets = wanted.get(indicator_id, {})

        def decide(indicator: dict, agency: dict, targets=targets) -> Change | None:
            differing = {p: t for p, t in targets.items() if _value(indicator["targets"].get(p)) != _value(t)}
            dropped = tuple(sorted(p for p, record in indicator["targets"].items() if p not in targets
                                   and (record.get("agreement") or {}).get("id") == agreement["id"]))
            if not (differing or dropped) or indicator["status"] != "active":
                return None
            return target_change(ctx, indicator, agency, differing, reason, removed=dropped,
                                 agreement={"id": agreement["id"], "version": version["number"]})
        try:
            before = ctx.repo.indicators.get(indicator_id)
            after = ctx.repo.indicators.update(indicator_id, decide, access=ctx.owner(Action.WRITE))
            changed += before is not None and after["version"] != before["version"]
        except NotFound:
            log.warning("agreement %s names indicator %s, which is gone", agreement_id, indicator_id)
    return changed


def _value(target: dict | None) -> tuple | None:
    return None if target is None else (target.get("value"), target.get("min"), target.get("max"))
