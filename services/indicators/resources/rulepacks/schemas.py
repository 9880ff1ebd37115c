from marshmallow import Schema, fields, validate

from shared.text import Text


class BandSchema(Schema):
    grade = Text(required=True, validate=validate.Length(min=1, max=10))
    above = fields.Float(required=True, allow_none=True, validate=validate.Range(min=0, max=1000),
                         metadata={"description": "A score above this gets the grade; null for the last band"})


class RulePackCreateSchema(Schema):
    effective_from = fields.Date(required=True, metadata={"example": "2026-01-01"})
    cap = fields.Float(load_default=120.0, validate=validate.Range(min=100, max=1000))
    bands = fields.List(fields.Nested(BandSchema), required=True, validate=validate.Length(min=2, max=12))
    green_from = fields.Float(load_default=90.0, validate=validate.Range(min=0, max=1000))
    yellow_from = fields.Float(load_default=70.0, validate=validate.Range(min=0, max=1000))
    description = Text(load_default="", validate=validate.Length(max=1000))


class RulePackSchema(Schema):
    id = fields.String()
    version = fields.Integer(attribute="number")
    effective_from = fields.String()
    cap = fields.Float()
    bands = fields.List(fields.Nested(BandSchema))
    green_from = fields.Float()
    yellow_from = fields.Float()
    description = fields.String()
    created_by = fields.String()
    formulas = fields.Constant({
        "higher_is_better": "R / T × 100", "lower_is_better": "(2T − R) / T × 100",
        "range": "100 inside [min, max]; outside, the formula against the nearest bound",
        "bounds": "between 0 and the cap"})
