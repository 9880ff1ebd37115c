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


class IndicatorEventV1(ContractSchema):
    indicator = fields.Nested(IndicatorSnapshot, required=True)
    changed = fields.List(fields.String(), load_default=list)
    reason = fields.String(allow_none=True, load_default=None)


class TargetSetV1(ContractSchema):
    indicator = fields.Nested(IndicatorSnapshot, required=True)
    period = fields.String(required=True)
    target = fields.Nested(TargetValue, required=True)
    revision = fields.Integer(required=True)
    reason = fields.String(allow_none=True, load_default=None)


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
    effective_from = fields.String(required=True)


class RulePackAddedV1(ContractSchema):
    rulepack = fields.Nested(RulePackSnapshot, required=True)


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
WEIGHT_SET = _contract("agency_weight.set", WeightSetV1, "How much an agency counts in its parent's roll-up changed.")
