"""Strategic plans (Renstra): drawn up, changed and archived by the agency's operators."""
from __future__ import annotations

import uuid

from shared.auth.directory import ref_of
from shared.auth.policy import Action, authorize
from shared.commands import Change
from shared.contracts.indicators import PLAN_ARCHIVED, PLAN_CREATED, PLAN_UPDATED
from shared.errors import Conflict
from services.indicators.commands.common import IndicatorsContext
from services.indicators.domain.plans import PLAN, check_against, objectives, shaped


def _checked(ctx: IndicatorsContext, plan: dict, agency: dict) -> None:
    supported = {o["supports_objective_id"] for o in objectives(plan) if o.get("supports_objective_id")}
    check_against(plan, agency, {i["id"]: i for i in ctx.repo.indicators_of([agency["id"]])[agency["id"]]},
                  ctx.repo.objective_owners(supported) if supported else {},
                  ctx.repo.overlapping_plans(agency["id"], plan["start_year"], plan["end_year"]))


def create_plan(ctx: IndicatorsContext, fields: dict) -> dict:
    """A plan of an active agency the caller may write to; no other active plan covers its years."""
    agency = ctx.active_agency(fields["agency_id"])
    authorize(ctx.principal, Action.WRITE, ref_of(agency))
    plan_id = str(uuid.uuid4())
    state = {"id": plan_id, "agency_id": agency["id"], "status": "active", **shaped(plan_id, fields)}
    _checked(ctx, state, agency)
    return ctx.repo.plans.create(ctx.created(PLAN, state, PLAN_CREATED, action="create", agency=agency,
                                             history={"action": "create"}))


def update_plan(ctx: IndicatorsContext, plan_id: str, fields: dict, if_match: int | None) -> dict:
    """Change an active plan's name, years, goals, objectives or indicator targets (the whole tree given)."""
    def decide(plan: dict, agency: dict) -> Change | None:
        if plan["status"] != "active":
            raise Conflict("An archived plan cannot change.", kind="archived")
        merged = {"name": plan["name"], "start_year": plan["start_year"], "end_year": plan["end_year"],
                  "goals": plan["goals"], **{k: v for k, v in fields.items() if k != "reason"}}
        changes = shaped(plan_id, _as_input(merged))
        changes = {k: v for k, v in changes.items() if plan.get(k) != v}
        if not changes:
            return None
        _checked(ctx, {**plan, **changes}, agency)
        return ctx.changed(PLAN, plan, changes, PLAN_UPDATED, action="update", agency=agency,
                           reason=fields.get("reason"), extra={"reason": fields.get("reason")},
                           history={"action": "update", "changed": sorted(changes), "reason": fields.get("reason")})
    return ctx.repo.plans.update(plan_id, decide, if_match=if_match, access=ctx.owner(Action.WRITE))


def archive_plan(ctx: IndicatorsContext, plan_id: str, reason: str, if_match: int | None) -> dict:
    def decide(plan: dict, agency: dict) -> Change | None:
        if plan["status"] == "archived":
            return None
        return ctx.changed(PLAN, plan, {"status": "archived"}, PLAN_ARCHIVED, action="archive", agency=agency,
                           reason=reason, extra={"reason": reason},
                           history={"action": "archive", "reason": reason})
    return ctx.repo.plans.update(plan_id, decide, if_match=if_match, access=ctx.owner(Action.WRITE))


def _as_input(fields: dict) -> dict:
    """Stored goals read back as a request's (objectives by code: their ids follow from it)."""
    return {**fields, "goals": [{"code": g["code"], "name": g["name"], "objectives": [
        {k: v for k, v in o.items() if k != "id"} for o in g.get("objectives") or ()]} for g in fields["goals"]]}
