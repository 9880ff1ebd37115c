"""Events produced by the indicators service (topic `indicators.events`).

Each aggregate's events carry its snapshot after the change (`indicator`, `realisation`, `lock`,
`scorecard`, `rulepack`), so a replica elsewhere stays exact by applying the newest one.
"""
from marshmallow import fields, validate

from shared.events.contracts import ContractSchema, EventContract, register

TOPIC = "indicators.events"


class TargetValue(ContractSchema):
    value = fields.Float(allow_none=True, load_default=None)
    min = fields.Float(allow_none=True, load_default=None)
    max = fields.Float(allow_none=True, load_default=None)


class IndicatorSnapshot(ContractSchema):
    id = fields.String(required=True)
    agency_id = fields.String(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    unit = fields.String(required=True)
    polarity = fields.String(required=True, validate=validate.OneOf(("higher_is_better", "lower_is_better")))
    frequency = fields.String(required=True, validate=validate.OneOf(("annual", "quarterly", "monthly")))
    category = fields.String(required=True)
    weight = fields.Float(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("active", "retired")))
    parent_indicator_id = fields.String(allow_none=True, load_default=None)
    fed_by_reforms = fields.List(fields.String(), allow_none=True, load_default=None,
                                 metadata={"description": "RB areas whose completed activities count (empty: any); "
                                                          "null: not fed by reform activities"})
    fed_by_culture = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True), allow_none=True,
                                 load_default=None, metadata={"description": "{instrument, dimension}: a culture "
                                                                            "survey's index is the realisation"})
    aggregation = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(("sum", "average", "last")),
                                metadata={"description": "How sub-periods make up a longer period"})


class IndicatorEventV1(ContractSchema):
    indicator = fields.Nested(IndicatorSnapshot, required=True)
    changed = fields.List(fields.String(), load_default=list)
    reason = fields.String(allow_none=True, load_default=None)


class IndicatorSnapshotV1(ContractSchema):
    indicator = fields.Nested(IndicatorSnapshot, required=True)


class TargetSetV1(ContractSchema):
    indicator = fields.Nested(IndicatorSnapshot, required=True)
    period = fields.String(required=True)
    target = fields.Nested(TargetValue, required=True)
    revision = fields.Integer(required=True)
    reason = fields.String(allow_none=True, load_default=None)
    periods = fields.List(fields.String(), load_default=list, metadata={
        "description": "Every period whose target this change set (an agreement sets its year and quarters at "
                       "once; `period`, `target` and `revision` tell the first)"})


class RealisationSnapshot(ContractSchema):
    id = fields.String(required=True)
    indicator_id = fields.String(required=True)
    agency_id = fields.String(required=True)
    period = fields.String(required=True)
    value = fields.Float(allow_none=True, load_default=None)
    status = fields.String(required=True, validate=validate.OneOf(("draft", "submitted", "verified", "rejected")))
    submitted_by = fields.String(allow_none=True, load_default=None)
    verified_by = fields.String(allow_none=True, load_default=None)


class RealisationEventV1(ContractSchema):
    realisation = fields.Nested(RealisationSnapshot, required=True)
    reason = fields.String(allow_none=True, load_default=None)


class LockSnapshot(ContractSchema):
    id = fields.String(required=True)
    agency_id = fields.String(required=True)
    period = fields.String(required=True)
    locked = fields.Boolean(required=True)
    by = fields.String(required=True)
    at = fields.String(required=True)
    reason = fields.String(allow_none=True, load_default=None)


class PeriodLockEventV1(ContractSchema):
    lock = fields.Nested(LockSnapshot, required=True)


class ScorecardSnapshot(ContractSchema):
    id = fields.String(required=True)
    agency_id = fields.String(required=True)
    period = fields.String(required=True)
    score = fields.Float(allow_none=True, load_default=None)
    grade = fields.String(allow_none=True, load_default=None)
    rollup_score = fields.Float(allow_none=True, load_default=None)
    rollup_grade = fields.String(allow_none=True, load_default=None)
    coverage = fields.Float(allow_none=True, load_default=None)
    rulepack_version = fields.Integer(required=True)


class ScoreChangedV1(ContractSchema):
    scorecard = fields.Nested(ScorecardSnapshot, required=True)


class RulePackSnapshot(ContractSchema):
    id = fields.String(required=True)
    version = fields.Integer(required=True)
    effective_from = fields.String(required=True, allow_none=True,
                                   metadata={"description": "ISO date; null: proposed, in force for no period"})
    method = fields.String(allow_none=True, load_default=None,
                           validate=validate.OneOf(("mean_of_periods", "aggregate")))


class RulePackAddedV1(ContractSchema):
    rulepack = fields.Nested(RulePackSnapshot, required=True)


class RulePackEffectiveV1(ContractSchema):
    rulepack = fields.Nested(RulePackSnapshot, required=True)
    previous_effective_from = fields.String(allow_none=True, load_default=None)
    reason = fields.String(allow_none=True, load_default=None)


class PlanObjectiveSnapshot(ContractSchema):
    id = fields.String(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    goal_code = fields.String(required=True)
    supports_objective_id = fields.String(allow_none=True, load_default=None)
    indicator_ids = fields.List(fields.String(), required=True)


class PlanSnapshot(ContractSchema):
    id = fields.String(required=True)
    agency_id = fields.String(required=True)
    name = fields.String(required=True)
    start_year = fields.Integer(required=True)
    end_year = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("active", "archived")))
    objectives = fields.List(fields.Nested(PlanObjectiveSnapshot), required=True)


class PlanEventV1(ContractSchema):
    plan = fields.Nested(PlanSnapshot, required=True)
    reason = fields.String(allow_none=True, load_default=None)


class Official(ContractSchema):
    name = fields.String(required=True)
    title = fields.String(required=True)
    agency_id = fields.String(allow_none=True, load_default=None)


class AgreementIndicator(ContractSchema):
    indicator_id = fields.String(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    unit = fields.String(allow_none=True, load_default=None)
    polarity = fields.String(allow_none=True, load_default=None)
    frequency = fields.String(allow_none=True, load_default=None)
    aggregation = fields.String(allow_none=True, load_default=None)
    target = fields.Nested(TargetValue, required=True)
    quarterly_targets = fields.Dict(keys=fields.String(validate=validate.OneOf(("Q1", "Q2", "Q3", "Q4"))),
                                    values=fields.Nested(TargetValue), load_default=dict)


class AgreementObjective(ContractSchema):
    objective_id = fields.String(allow_none=True, load_default=None)
    code = fields.String(allow_none=True, load_default=None)
    name = fields.String(required=True)
    indicators = fields.List(fields.Nested(AgreementIndicator), required=True)


class BudgetLine(ContractSchema):
    programme = fields.String(required=True)
    amount = fields.Float(required=True, metadata={"description": "Pagu in rupiah"})


class TargetRevision(ContractSchema):
    indicator_id = fields.String(required=True)
    code = fields.String(allow_none=True, load_default=None)
    period = fields.String(required=True)
    before = fields.Nested(TargetValue, allow_none=True, load_default=None)
    after = fields.Nested(TargetValue, allow_none=True, load_default=None)


class AgreementVersion(ContractSchema):
    number = fields.Integer(required=True)
    reason = fields.String(allow_none=True, load_default=None)
    signed_by = fields.String(required=True)
    signed_at = fields.String(required=True)
    head = fields.Nested(Official, required=True)
    superior = fields.Nested(Official, required=True)
    objectives = fields.List(fields.Nested(AgreementObjective), required=True)
    budget = fields.List(fields.Nested(BudgetLine), load_default=list)
    place = fields.String(allow_none=True, load_default=None, metadata={"description": "Where it was signed"})
    target_revisions = fields.List(fields.Nested(TargetRevision), load_default=list)


class AgreementSnapshot(ContractSchema):
    id = fields.String(required=True)
    agency_id = fields.String(required=True)
    year = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("draft", "signed")))
    version_in_force = fields.Integer(allow_none=True, load_default=None)
    in_force = fields.Nested(AgreementVersion, allow_none=True, load_default=None)


class AgreementEventV1(ContractSchema):
    performance_agreement = fields.Nested(AgreementSnapshot, required=True)


class WeightSnapshot(ContractSchema):
    id = fields.String(required=True, metadata={"description": "The agency"})
    weight = fields.Float(required=True)


class WeightSetV1(ContractSchema):
    weight = fields.Nested(WeightSnapshot, required=True)


def _contract(name: str, schema, description: str) -> EventContract:
    return register(EventContract(type=f"kinerja.{name}.v1", schema=schema, topic=TOPIC, description=description))


INDICATOR_DEFINED = _contract("indicator.defined", IndicatorEventV1, "A new performance indicator of an agency.")
INDICATOR_UPDATED = _contract("indicator.updated", IndicatorEventV1, "An indicator's definition changed (`changed`).")
INDICATOR_RETIRED = _contract("indicator.retired", IndicatorEventV1, "An indicator is no longer reported.")
INDICATOR_SNAPSHOT = _contract("indicator.snapshot", IndicatorSnapshotV1,
                               "The indicator as it is now, republished (`kinerja events republish`): a new or lost "
                               "replica is rebuilt from these; one holding it ignores it.")
TARGET_SET = _contract("indicator.target_set", TargetSetV1,
                       "A target was set for a period, or revised (revision > 1, with its reason).")
REALISATION_RECORDED = _contract("realisation.recorded", RealisationEventV1, "A draft realisation was saved.")
REALISATION_SUBMITTED = _contract("realisation.submitted", RealisationEventV1, "A realisation awaits verification.")
REALISATION_VERIFIED = _contract("realisation.verified", RealisationEventV1, "A realisation was verified.")
REALISATION_REJECTED = _contract("realisation.rejected", RealisationEventV1, "A realisation was rejected (`reason`).")
REALISATION_REOPENED = _contract("realisation.reopened", RealisationEventV1,
                                 "A verified or rejected realisation was reopened as a draft (`reason`).")
PERIOD_LOCKED = _contract("period.locked", PeriodLockEventV1, "An agency subtree's period was locked.")
PERIOD_UNLOCKED = _contract("period.unlocked", PeriodLockEventV1, "An agency subtree's period was unlocked.")
SCORE_CHANGED = _contract("score.changed", ScoreChangedV1, "An agency's score, grade or roll-up for a period changed.")
RULEPACK_ADDED = _contract("rulepack.added", RulePackAddedV1, "A new version of the scoring rules was added.")
RULEPACK_EFFECTIVE = _contract("rulepack.made_effective", RulePackEffectiveV1,
                               "A rule pack version was put in force from a date: cards from then are rescored.")
PLAN_CREATED = _contract("plan.created", PlanEventV1, "An agency's strategic plan (Renstra) was drawn up.")
PLAN_UPDATED = _contract("plan.updated", PlanEventV1, "A strategic plan's goals, objectives or targets changed.")
PLAN_ARCHIVED = _contract("plan.archived", PlanEventV1, "A strategic plan was archived (`reason`).")
AGREEMENT_SIGNED = _contract("performance_agreement.signed", AgreementEventV1,
                             "A performance agreement (Perjanjian Kinerja) was signed: version 1 is in force.")
AGREEMENT_REVISED = _contract("performance_agreement.revised", AgreementEventV1,
                              "A signed agreement was revised (PK perubahan): a new version is in force, with its "
                              "reason and target revisions.")
WEIGHT_SET = _contract("agency_weight.set", WeightSetV1, "How much an agency counts in its parent's roll-up changed.")
