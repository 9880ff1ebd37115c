from marshmallow import Schema, fields, validate

from shared.text import Text


class PeriodQuerySchema(Schema):
    period = Text(required=True, validate=validate.Length(min=4, max=6),
                  metadata={"description": "2025, 2025Q1 or 202503", "example": "2025"})


class CategorySchema(Schema):
    code = fields.String(metadata={"example": "tinggi"})
    label = fields.String(metadata={"example": "Tinggi"})


class ScoreSchema(Schema):
    score = fields.Float(allow_none=True)
    grade = fields.String(allow_none=True, metadata={"description": "The category's code (kept for clients of "
                                                                    "version 1)"})
    category = fields.Nested(CategorySchema, allow_none=True, metadata={
        "description": "The rule pack's label of the score (default: the five categories of Permendagri 86/2017)"})
    light = fields.String(allow_none=True, metadata={"description": "green, yellow or red"})


class OwnScoreSchema(ScoreSchema):
    coverage = fields.Float(allow_none=True, metadata={"description": "Share of indicators with a verified realisation"})
    indicators = fields.Integer()


class RollupSchema(ScoreSchema):
    agencies_counted = fields.Integer()


class AgencyRefSchema(Schema):
    id = fields.String()
    code = fields.String()
    name = fields.String()
    type = fields.String()
    status = fields.String()


class MeasuredSchema(Schema):
    realised = fields.Float(allow_none=True)
    target = fields.String(allow_none=True)
    achievement = fields.Float(allow_none=True)
    not_computable = fields.String(allow_none=True)
    periods_verified = fields.Integer()
    periods_expected = fields.Integer()
    partial = fields.Boolean()


class PreviousSchema(Schema):
    period = fields.String()
    realised = fields.Float(allow_none=True)
    achievement = fields.Float(allow_none=True)


class PlanBaselineSchema(Schema):
    value = fields.Float()
    year = fields.Integer(allow_none=True)


class VersionRefSchema(Schema):
    id = fields.String()
    version = fields.Integer()


class GoalRefSchema(Schema):
    code = fields.String()
    name = fields.String()


class ObjectiveRefSchema(Schema):
    id = fields.String()
    code = fields.String()
    name = fields.String()
    goal = fields.Nested(GoalRefSchema)


class ScorecardIndicatorSchema(Schema):
    indicator_id = fields.String()
    code = fields.String()
    name = fields.String()
    indicator_category = fields.String(metadata={"description": "IKU, IKK, ..."})
    category = fields.Nested(CategorySchema, allow_none=True, metadata={"description": "Of its achievement"})
    unit = fields.String()
    polarity = fields.String()
    frequency = fields.String()
    aggregation = fields.String(metadata={"description": "sum, average or last"})
    weight = fields.Float()
    target = fields.String(allow_none=True)
    realised = fields.Float(allow_none=True, metadata={"description": "Aggregated over the period's sub-periods"})
    achievement = fields.Float(allow_none=True)
    light = fields.String(allow_none=True)
    not_computable = fields.String(allow_none=True)
    periods_verified = fields.Integer()
    periods_expected = fields.Integer()
    partial = fields.Boolean(metadata={"description": "Built on fewer verified sub-periods than the period has"})
    ytd = fields.Nested(MeasuredSchema, allow_none=True, metadata={
        "description": "A sum indicator's quarter or month: the year through it"})
    previous = fields.Nested(PreviousSchema, allow_none=True, metadata={"description": "The same period a year earlier"})
    baseline = fields.Nested(PlanBaselineSchema, allow_none=True)
    plan_target = fields.Float(allow_none=True, metadata={"description": "The strategic plan's target of the year"})
    end_target = fields.Float(allow_none=True, metadata={"description": "The strategic plan's end-of-plan target"})
    progress = fields.Float(allow_none=True, metadata={"description": "The realisation against the end-of-plan target"})
    agreement = fields.Nested(VersionRefSchema, allow_none=True, metadata={
        "description": "The performance agreement in force holding it, and its version"})
    objective = fields.Nested(ObjectiveRefSchema, allow_none=True, metadata={
        "description": "The strategic objective of the plan it belongs to"})


class ObjectiveScoreSchema(ObjectiveRefSchema):
    indicators = fields.List(fields.String(), metadata={"description": "Its indicators' ids on this card"})
    achievement = fields.Float(allow_none=True, metadata={"description": "Weighted mean of its indicators'"})
    category = fields.Nested(CategorySchema, allow_none=True)
    light = fields.String(allow_none=True)


class ChildScoreSchema(ScoreSchema):
    agency_id = fields.String()
    code = fields.String()
    name = fields.String()
    type = fields.String()
    status = fields.String()
    weight = fields.Float()
    card_version = fields.Integer(allow_none=True, metadata={
        "description": "Version of the child's scorecard this row reflects (none: it has no card yet)"})


class ScorecardSchema(Schema):
    agency = fields.Nested(AgencyRefSchema)
    period = fields.String()
    computed = fields.Boolean(metadata={"description": "False until anything has been scored for this period"})
    own = fields.Nested(OwnScoreSchema)
    rollup = fields.Nested(RollupSchema)
    indicators = fields.List(fields.Nested(ScorecardIndicatorSchema))
    objectives = fields.List(fields.Nested(ObjectiveScoreSchema), metadata={
        "description": "The indicators grouped by the strategic objective they belong to"})
    children = fields.List(fields.Nested(ChildScoreSchema))
    rulepack_version = fields.Integer(allow_none=True)
    rescored_from_version = fields.Integer(allow_none=True, metadata={
        "description": "Computed again when this rule pack version was put in force; the version before"})
    format = fields.Integer(allow_none=True)
    computed_at = fields.AwareDateTime(allow_none=True)


class RankedSchema(ChildScoreSchema):
    rank = fields.Integer(allow_none=True)


class RankingSchema(Schema):
    agency = fields.Nested(AgencyRefSchema)
    period = fields.String()
    items = fields.List(fields.Nested(RankedSchema))


class WeightSchema(Schema):
    weight = fields.Float(required=True, validate=validate.Range(min=0, max=1000, min_inclusive=False))


class WeightRecordSchema(WeightSchema):
    id = fields.String()
    by = fields.String()
    at = fields.AwareDateTime()


class DataQualityQuerySchema(PeriodQuerySchema):
    as_of = fields.Date(metadata={"description": "The day deadlines are measured against (default: today, UTC)"})
    grace_days = fields.Integer(load_default=30, validate=validate.Range(min=0, max=366), metadata={
        "description": "A period's report is due this many days after it ends"})


class GapSchema(Schema):
    indicator_id = fields.String()
    code = fields.String()
    name = fields.String()
    agency_id = fields.String()
    agency_code = fields.String(allow_none=True)
    agency_name = fields.String(allow_none=True)
    period = fields.String()
    deadline = fields.Date()
    overdue = fields.Boolean()
    days_left = fields.Integer(metadata={"description": "Days until the deadline (negative: days overdue)"})
    status = fields.String(metadata={"description": "missing (no realisation) or draft (not submitted)"})
    reason = fields.String(allow_none=True, metadata={"description": "Why it was rejected"})
    rejected_by = fields.String(allow_none=True)


class ReportCountsSchema(Schema):
    verified = fields.Integer()
    submitted = fields.Integer(metadata={"description": "Waiting for verification"})
    rejected = fields.Integer(metadata={"description": "Waiting to be corrected and resubmitted"})
    draft = fields.Integer()
    missing = fields.Integer()


class DataQualitySchema(Schema):
    agency = fields.Nested(AgencyRefSchema)
    period = fields.String()
    as_of = fields.Date()
    grace_days = fields.Integer()
    indicators = fields.Integer(metadata={"description": "Active indicators in the subtree"})
    expected = fields.Integer(metadata={"description": "Reports expected so far (periods that have begun)"})
    counts = fields.Nested(ReportCountsSchema)
    missing = fields.List(fields.Nested(GapSchema), metadata={"description": "Absent or draft, by deadline"})
    rejected = fields.List(fields.Nested(GapSchema), metadata={"description": "Rejected, by deadline"})
