from marshmallow import Schema, fields, validate

from shared.text import Text
from services.indicators.domain.achievement import FORMULA_TEXT, FORMULAS, METHODS, RANGE_RULES


class BandSchema(Schema):
    code = Text(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_]{1,30}$"), metadata={"example": "tinggi"})
    label = Text(load_default=None, allow_none=True, validate=validate.Length(min=1, max=60),
                 metadata={"example": "Tinggi", "description": "What readers see (default: the code)"})
    min = fields.Float(required=True, allow_none=True, validate=validate.Range(min=-1000, max=1000),
                       metadata={"description": "The lowest score of the band; null for the last band"})
    inclusive = fields.Boolean(load_default=True, metadata={"description": "false: strictly above min"})


class FormulasSchema(Schema):
    higher_is_better = fields.String(load_default="ratio", validate=validate.OneOf(("ratio",)))
    lower_is_better = fields.String(load_default="inverse_ratio",
                                    validate=validate.OneOf(("inverse_ratio", "inverse_reciprocal")))


class RulePackCreateSchema(Schema):
    effective_from = fields.Date(load_default=None, allow_none=True, metadata={
        "example": "2026-01-01", "description": "null: proposed, in force for no period until made effective"})
    method = fields.String(load_default="aggregate", validate=validate.OneOf(METHODS))
    formulas = fields.Nested(FormulasSchema, load_default=lambda: {"higher_is_better": "ratio",
                                                                   "lower_is_better": "inverse_ratio"})
    range_rule = fields.String(load_default="nearest_bound", validate=validate.OneOf(RANGE_RULES))
    cap = fields.Float(load_default=120.0, validate=validate.Range(min=100, max=1000))
    floor = fields.Float(load_default=0.0, validate=validate.Range(min=-1000, max=100))
    bands = fields.List(fields.Nested(BandSchema), required=True, validate=validate.Length(min=2, max=12))
    green_from = fields.Float(load_default=76.0, validate=validate.Range(min=0, max=1000))
    yellow_from = fields.Float(load_default=51.0, validate=validate.Range(min=0, max=1000))
    description = Text(load_default="", validate=validate.Length(max=1000))


class EffectiveSchema(Schema):
    effective_from = fields.Date(required=True, metadata={"example": "2025-01-01"})
    reason = Text(required=True, validate=validate.Length(min=1, max=500))


class RulePackSchema(Schema):
    id = fields.String()
    version = fields.Integer(attribute="number")
    effective_from = fields.String(allow_none=True)
    method = fields.String()
    formulas = fields.Dict(keys=fields.String(), values=fields.String())
    range_rule = fields.String()
    cap = fields.Float()
    floor = fields.Float()
    bands = fields.List(fields.Nested(BandSchema))
    green_from = fields.Float()
    yellow_from = fields.Float()
    description = fields.String()
    created_by = fields.String()
    formula_names = fields.Constant({name: FORMULA_TEXT[name] for name in FORMULAS}, metadata={
        "description": "The formulas a rule pack may choose from"})
