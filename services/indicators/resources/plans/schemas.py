"""Request and response schemas of /api/v1/plans (strategic plans, Renstra)."""
from marshmallow import Schema, fields, validate

from shared.http.pagination import PageQuerySchema, page_schema
from shared.text import Text
from services.indicators.resources.indicators.schemas import CODE, Number

Year = lambda **kw: fields.Integer(validate=validate.Range(min=1990, max=2100), **kw)  # noqa: E731


class BaselineSchema(Schema):
    value = Number(required=True)
    year = Year(load_default=None, allow_none=True)


class PlanIndicatorSchema(Schema):
    indicator_id = Text(required=True, validate=validate.Length(min=1, max=64))
    baseline = fields.Nested(BaselineSchema, load_default=None, allow_none=True)
    targets = fields.Dict(keys=fields.String(validate=validate.Regexp(r"^\d{4}$")), values=Number(),
                          load_default=dict, metadata={"description": "A target for each year of the plan",
                                                       "example": {"2025": 80, "2026": 82}})
    end_target = Number(load_default=None, allow_none=True, metadata={"description": "The end-of-plan target"})


class ObjectiveSchema(Schema):
    id = fields.String(dump_only=True, metadata={"description": "<plan id>:<code>"})
    code = Text(required=True, validate=validate.Regexp(CODE))
    name = Text(required=True, validate=validate.Length(min=1, max=500))
    supports_objective_id = Text(load_default=None, allow_none=True, validate=validate.Length(min=1, max=200),
                                 metadata={"description": "An objective of an ancestor agency's plan it supports"})
    indicators = fields.List(fields.Nested(PlanIndicatorSchema), load_default=list, validate=validate.Length(max=100))


class GoalSchema(Schema):
    code = Text(required=True, validate=validate.Regexp(CODE))
    name = Text(required=True, validate=validate.Length(min=1, max=500))
    objectives = fields.List(fields.Nested(ObjectiveSchema), load_default=list, validate=validate.Length(max=50))


class PlanCreateSchema(Schema):
    agency_id = Text(required=True, validate=validate.Length(min=1, max=64))
    name = Text(required=True, validate=validate.Length(min=1, max=300),
                metadata={"example": "Renstra Dinas Pendidikan 2025–2029"})
    start_year = Year(required=True)
    end_year = Year(required=True)
    goals = fields.List(fields.Nested(GoalSchema), load_default=list, validate=validate.Length(max=20))


class PlanUpdateSchema(Schema):
    name = Text(validate=validate.Length(min=1, max=300))
    start_year = Year()
    end_year = Year()
    goals = fields.List(fields.Nested(GoalSchema), validate=validate.Length(max=20))
    reason = Text(load_default=None, allow_none=True, validate=validate.Length(max=500))


class PlanHistorySchema(Schema):
    at = fields.AwareDateTime()
    by = fields.String()
    action = fields.String()
    changed = fields.List(fields.String())
    reason = fields.String(allow_none=True)


class PlanSchema(PlanCreateSchema):
    id = fields.String()
    status = fields.String(metadata={"description": "active or archived"})
    history = fields.List(fields.Nested(PlanHistorySchema))
    version = fields.Integer()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class PlanQuerySchema(PageQuerySchema):
    agency_id = Text(validate=validate.Length(min=1, max=64))
    subtree = fields.Boolean(load_default=False, metadata={"description": "with agency_id: its whole subtree"})
    year = Year(metadata={"description": "Plans whose years include this one"})
    status = fields.String(validate=validate.OneOf(("active", "archived")))


PlanPageSchema = page_schema(PlanSchema, "PlanPage")
