"""Request and response schemas of /api/v1/indicators (with their targets and realisations)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.http.pagination import PageQuerySchema, page_schema
from shared.reform_areas import AREA_CODES
from shared.text import Text
from shared.http.evidence import EvidenceSchema
from services.indicators.domain.aggregation import AGGREGATIONS

CODE = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$"
CATEGORY = r"^[A-Z][A-Z0-9_-]{1,19}$"
BIG = 1e15  # larger values are no measurement anyone reports
Number = lambda **kw: fields.Float(validate=validate.Range(min=-BIG, max=BIG), **kw)  # noqa: E731


class FedByCultureSchema(Schema):
    instrument = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{1,39}$"),
                               metadata={"description": "An instrument code of the reforms service", "example": "berakhlak"})
    dimension = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=40),
                              metadata={"description": "One of its dimensions (default: the overall index)",
                                        "example": "akuntabel"})


class IndicatorCreateSchema(Schema):
    agency_id = Text(required=True, validate=validate.Length(min=1, max=64))
    code = Text(required=True, validate=validate.Regexp(CODE, error="1-50 letters, digits, '.', '_' or '-'"),
                metadata={"example": "IKU-01"})
    name = Text(required=True, validate=validate.Length(min=1, max=300),
                metadata={"example": "Indeks Kepuasan Masyarakat terhadap layanan pendidikan"})
    definition = Text(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    unit = Text(required=True, validate=validate.Length(min=1, max=40), metadata={"example": "%"})
    polarity = fields.String(required=True, validate=validate.OneOf(("higher_is_better", "lower_is_better")))
    frequency = fields.String(required=True, validate=validate.OneOf(("annual", "quarterly", "monthly")))
    baseline = Number(load_default=None, allow_none=True)
    aggregation = fields.String(load_default="average", validate=validate.OneOf(AGGREGATIONS), metadata={
        "description": "How its sub-periods make up a longer period: sum (cumulative), average, or last (the "
                       "latest verified value)"})
    weight = fields.Float(load_default=1.0, validate=validate.Range(min=0, max=1000, min_inclusive=False),
                          metadata={"description": "Weight inside the agency's scorecard"})
    category = Text(load_default="IKU", validate=validate.Regexp(CATEGORY, error="upper-case, e.g. IKU or IKK"))
    parent_indicator_id = Text(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64),
                               metadata={"description": "The indicator of an ancestor agency this one supports"})
    fed_by_reforms = fields.List(fields.String(validate=validate.OneOf(AREA_CODES)), load_default=None, allow_none=True,
                                 validate=validate.Length(max=20), metadata={
                                     "description": "Count completed reform activities as the realisation: the RB "
                                                    "area codes that count (GET /api/v1/areas of the reforms "
                                                    "service; [] for any); null: not fed by reforms"})
    fed_by_culture = fields.Nested(FedByCultureSchema, load_default=None, allow_none=True, metadata={
        "description": "Take the culture index of a work-culture instrument (and, optionally, one of its "
                       "dimensions) as the yearly realisation, from each closed post survey; annual indicators only"})


class IndicatorUpdateSchema(Schema):
    name = Text(validate=validate.Length(min=1, max=300))
    definition = Text(allow_none=True, validate=validate.Length(max=2000))
    unit = Text(validate=validate.Length(min=1, max=40))
    baseline = Number(allow_none=True)
    aggregation = fields.String(validate=validate.OneOf(AGGREGATIONS))
    weight = fields.Float(validate=validate.Range(min=0, max=1000, min_inclusive=False))
    category = Text(validate=validate.Regexp(CATEGORY))
    fed_by_reforms = fields.List(fields.String(validate=validate.OneOf(AREA_CODES)), allow_none=True,
                                 validate=validate.Length(max=20))
    fed_by_culture = fields.Nested(FedByCultureSchema, allow_none=True)
    reason = Text(validate=validate.Length(max=500))


class ReasonSchema(Schema):
    reason = Text(required=True, validate=validate.Length(min=1, max=500))


class IndicatorSchema(IndicatorCreateSchema):
    id = fields.String()
    status = fields.String(metadata={"description": "active or retired"})
    targets = fields.Dict(keys=fields.String(), values=fields.Dict(),
                          metadata={"description": "The current target of each period"})
    version = fields.Integer()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class IndicatorListQuerySchema(PageQuerySchema):
    agency_id = Text(validate=validate.Length(min=1, max=64))
    subtree = fields.Boolean(load_default=False, metadata={"description": "with agency_id: its whole subtree"})
    category = Text(validate=validate.Regexp(CATEGORY))
    status = fields.String(validate=validate.OneOf(("active", "retired")))
    frequency = fields.String(validate=validate.OneOf(("annual", "quarterly", "monthly")))
    parent_indicator_id = Text(validate=validate.Length(min=1, max=64))
    q = Text(validate=validate.Length(min=1, max=100), metadata={
        "description": "Words: indicators with a word of their name or code starting with each"})


IndicatorPageSchema = page_schema(IndicatorSchema, "IndicatorPage")


class CascadeSchema(IndicatorSchema):
    children = fields.List(fields.Nested(lambda: CascadeSchema()))


class TargetValueSchema(Schema):
    """A value, or a range [min, max]; as stored, the other form's fields are null."""

    value = Number(allow_none=True, metadata={"description": "A single target value"})
    min = Number(allow_none=True, metadata={"description": "With max: a target range"})
    max = Number(allow_none=True)

    @validates_schema
    def one_form(self, data, **_):
        data = {k: v for k, v in data.items() if v is not None and k in ("value", "min", "max")}
        if ("value" in data) == ("min" in data or "max" in data):
            raise ValidationError("give either value, or min and max", "value")
        if ("min" in data) != ("max" in data):
            raise ValidationError("a range needs both min and max", "min")
        if "min" in data and data["min"] > data["max"]:
            raise ValidationError("min must not exceed max", "min")


class TargetInputSchema(TargetValueSchema):
    reason = Text(load_default=None, allow_none=True, validate=validate.Length(max=500),
                  metadata={"description": "Required when the period already has a target (a revision)"})


class TargetRecordSchema(Schema):
    period = fields.String()
    agreement = fields.Dict(allow_none=True, metadata={"description": "{id, version}: set by a performance agreement"})
    removed = fields.Boolean(metadata={"description": "The target was taken away (a revised agreement no longer sets it)"})
    value = fields.Float(allow_none=True)
    min = fields.Float(allow_none=True)
    max = fields.Float(allow_none=True)
    revision = fields.Integer()
    reason = fields.String(allow_none=True)
    by = fields.String()
    at = fields.AwareDateTime()


class TargetHistorySchema(Schema):
    indicator_id = fields.String()
    current = fields.Dict(keys=fields.String(), values=fields.Nested(TargetRecordSchema))
    history = fields.List(fields.Nested(TargetRecordSchema))


class RealisationInputSchema(Schema):
    value = Number(required=True)
    evidence = fields.List(fields.Nested(EvidenceSchema), load_default=list, validate=validate.Length(max=20))
    note = Text(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class HistoryEntrySchema(Schema):
    at = fields.AwareDateTime()
    by = fields.String()
    action = fields.String()
    status = fields.String()
    value = fields.Float(allow_none=True)
    reason = fields.String(allow_none=True)


class RealisationSchema(Schema):
    id = fields.String()
    indicator_id = fields.String()
    agency_id = fields.String()
    period = fields.String()
    value = fields.Float(allow_none=True)
    evidence = fields.List(fields.Nested(EvidenceSchema))
    note = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "draft, submitted, verified or rejected"})
    source = fields.String(metadata={"description": "manual, or reforms (counted from completed activities)"})
    submitted_by = fields.String(allow_none=True)
    submitted_at = fields.AwareDateTime(allow_none=True)
    verified_by = fields.String(allow_none=True)
    verified_at = fields.AwareDateTime(allow_none=True)
    reason = fields.String(allow_none=True)
    history = fields.List(fields.Nested(HistoryEntrySchema))
    locked = fields.Boolean(metadata={"description": "The period is locked: no change is accepted"})
    locked_by = fields.String()
    locked_at = fields.AwareDateTime()
    version = fields.Integer()
