"""Strategic plans (Renstra): an agency's five-year plan of goals (tujuan) → strategic objectives (sasaran
strategis) → indicators, each indicator with its baseline, a target per year of the plan and the end-of-plan
target. An objective may support an objective of an ancestor agency's plan (the cascade of objectives).

Pure: the command (commands.plans) gives the facts this checks against."""
from __future__ import annotations

from typing import Iterable, Mapping

from shared.commands import Kind
from shared.errors import Conflict, Invalid

MAX_YEARS = 10


def objective_id(plan_id: str, code: str) -> str:
    """Objectives are named by their plan and code: stable across edits that keep the code."""
    return f"{plan_id}:{code}"


def objectives(plan: Mapping) -> list[dict]:
    """Every objective of the plan, in order, with the code and name of its goal."""
    return [{**objective, "goal": {"code": goal["code"], "name": goal["name"]}}
            for goal in plan.get("goals", ()) for objective in goal.get("objectives", ())]


def shaped(plan_id: str, fields: Mapping) -> dict:
    """The stored goals (objectives named by id) and the flat lists queries use, from the request's fields;
    Invalid where the plan contradicts itself."""
    start, end = fields["start_year"], fields["end_year"]
    if end < start or end - start >= MAX_YEARS:
        raise Invalid.field("end_year", f"a plan spans 1 to {MAX_YEARS} years from start_year ({start})")
    goals, seen_goals, seen_objectives, seen_indicators = [], set(), set(), set()
    for g, goal in enumerate(fields.get("goals") or ()):
        if goal["code"] in seen_goals:
            raise Invalid.field(f"goals.{g}.code", f"goal {goal['code']} appears twice")
        seen_goals.add(goal["code"])
        shaped_objectives = []
        for o, objective in enumerate(goal.get("objectives") or ()):
            where = f"goals.{g}.objectives.{o}"
            if objective["code"] in seen_objectives:
                raise Invalid.field(f"{where}.code", f"objective {objective['code']} appears twice in the plan")
            seen_objectives.add(objective["code"])
            rows = []
            for i, row in enumerate(objective.get("indicators") or ()):
                _check_row(row, f"{where}.indicators.{i}", start, end, seen_indicators)
                rows.append({"indicator_id": row["indicator_id"], "baseline": row.get("baseline"),
                             "targets": {str(k): v for k, v in (row.get("targets") or {}).items()},
                             "end_target": row.get("end_target")})
            shaped_objectives.append({"id": objective_id(plan_id, objective["code"]), "code": objective["code"],
                                      "name": objective["name"],
                                      "supports_objective_id": objective.get("supports_objective_id"),
                                      "indicators": rows})
        goals.append({"code": goal["code"], "name": goal["name"], "objectives": shaped_objectives})
    flat = [o for goal in goals for o in goal["objectives"]]
    return {"name": fields["name"], "start_year": start, "end_year": end, "goals": goals,
            "objective_ids": [o["id"] for o in flat],
            "indicator_ids": [row["indicator_id"] for o in flat for row in o["indicators"]]}


def _check_row(row: Mapping, where: str, start: int, end: int, seen: set[str]) -> None:
    if row["indicator_id"] in seen:
        raise Invalid.field(f"{where}.indicator_id", "an indicator belongs to one objective of the plan")
    seen.add(row["indicator_id"])
    outside = sorted(str(year) for year in (row.get("targets") or {}) if not start <= int(year) <= end)
    if outside:
        raise Invalid.field(f"{where}.targets", f"years {', '.join(outside)} are outside the plan ({start}–{end})")
    baseline = row.get("baseline")
    if baseline and baseline.get("year") is not None and baseline["year"] > start:
        raise Invalid.field(f"{where}.baseline.year", f"the baseline comes before the plan starts ({start})")


def check_against(plan: Mapping, agency: Mapping, own_indicators: Mapping[str, dict],
                  supported: Mapping[str, str], overlapping: Iterable[dict]) -> None:
    """The plan against the store: its indicators are the agency's (`own_indicators` by id), an objective it
    supports belongs to an ancestor agency's plan (`supported`: objective id → its agency), and no other
    active plan of the agency covers any of its years."""
    for objective in objectives(plan):
        for row in objective["indicators"]:
            if row["indicator_id"] not in own_indicators:
                raise Invalid.field("goals", f"indicator {row['indicator_id']} is not an indicator of agency "
                                             f"{agency.get('code', agency['id'])}")
        target = objective.get("supports_objective_id")
        if target is not None:
            owner = supported.get(target)
            if owner is None:
                raise Invalid.field("goals", f"objective {objective['code']} supports {target}, which is no "
                                             "objective of any plan")
            if owner not in agency.get("path", ()):
                raise Invalid.field("goals", f"objective {objective['code']} may support an objective of an "
                                             f"ancestor agency only ({target} belongs to {owner})")
    for other in overlapping:
        if other["id"] != plan.get("id"):
            raise Conflict(f"Plan {other['name']} ({other['start_year']}–{other['end_year']}) of this agency "
                           "covers some of these years.", kind="overlapping-plan", plan_id=other["id"])


def plan_entries(plan: Mapping | None, year: int) -> dict[str, dict]:
    """What a scorecard row of `year` shows from the plan, by indicator id: its objective, baseline, the
    year's plan target and the end-of-plan target (`order`: the objective's place in the plan)."""
    if not plan:
        return {}
    entries = {}
    for order, objective in enumerate(objectives(plan)):
        ref = {"id": objective["id"], "code": objective["code"], "name": objective["name"],
               "goal": objective["goal"]}
        for row in objective["indicators"]:
            entries[row["indicator_id"]] = {"objective": ref, "order": order, "baseline": row.get("baseline"),
                                            "plan_target": (row.get("targets") or {}).get(str(year)),
                                            "end_target": row.get("end_target"), "plan_id": plan["id"]}
    return entries


def snapshot_of(plan: Mapping) -> dict:
    return {"id": plan["id"], "agency_id": plan["agency_id"], "name": plan["name"],
            "start_year": plan["start_year"], "end_year": plan["end_year"], "status": plan["status"],
            "objectives": [{"id": o["id"], "code": o["code"], "name": o["name"], "goal_code": o["goal"]["code"],
                            "supports_objective_id": o.get("supports_objective_id"),
                            "indicator_ids": [row["indicator_id"] for row in o["indicators"]]}
                           for o in objectives(plan)]}


PLAN = Kind("plan", snapshot_of, audited=lambda plan: {k: plan.get(k) for k in (
    "name", "start_year", "end_year", "status", "goals")}, label="strategic plan")
