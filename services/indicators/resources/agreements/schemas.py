"""Request and response schemas of /api/v1/performance-agreements (Perjanjian Kinerja)."""
from marshmallow import Schema, fields, validate

from shared.http.pagination import PageQuerySchema, page_schema
from shared.text import Text
from services.indicators.resources.indicators.schemas import Number, TargetValueSchema
from services.indicators.resources.plans.schemas import Year


class AgreementIndicatorSchema(Schema):
    indicator_id = Text(required=True, validate=validate.Length(min=1, max=64))
    target = fields.Nested(TargetValueSchema, required=True, metadata={"description": "The annual target"})
    quarterly_targets = fields.Dict(keys=fields.String(validate=validate.OneOf(("Q1", "Q2", "Q3", "Q4"))),
                                    values=fields.Nested(TargetValueSchema), load_default=dict,
                                    metadata={"description": "Targets of TW I–IV (indicators reporting quarterly "
                                                             "or monthly)", "example": {"Q1": {"value": 30}}})
    # What the agreement shows of the indicator as it was when drafted.
    code = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    unit = fields.String(dump_only=True)
    polarity = fields.String(dump_only=True)
    frequency = fields.String(dump_only=True)
    aggregation = fields.String(dump_only=True)


class AgreementObjectiveSchema(Schema):
    objective_id = Text(load_default=None, allow_none=True, validate=validate.Length(min=1, max=200),
                        metadata={"description": "An objective of the agency's strategic plan for the year"})
    name = Text(load_default=None, allow_none=True, validate=validate.Length(min=1, max=500),
                metadata={"description": "Required without objective_id; default: the plan objective's"})
    code = fields.String(dump_only=True, allow_none=True)
    indicators = fields.List(fields.Nested(AgreementIndicatorSchema), required=True,
                             validate=validate.Length(min=1, max=100))


class BudgetLineSchema(Schema):
    programme = Text(required=True, validate=validate.Length(min=1, max=300))
    amount = fields.Float(required=True, validate=validate.Range(min=0, max=1e15),
                          metadata={"description": "Pagu in rupiah"})


class OfficialSchema(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    title = Text(required=True, validate=validate.Length(min=1, max=200))
    agency_id = fields.String(dump_only=True, allow_none=True)


class ContentSchema(Schema):
    objectives = fields.List(fields.Nested(AgreementObjectiveSchema), validate=validate.Length(min=1, max=50))
    budget = fields.List(fields.Nested(BudgetLineSchema), validate=validate.Length(max=100))
    place = Text(allow_none=True, validate=validate.Length(max=100), metadata={
        "description": "Where it is signed (the PK document's place and date line), e.g. Kuala Tungkal"})
    head = fields.Nested(OfficialSchema, allow_none=True, metadata={
        "description": "Who signs for the agency (default: its head in the registry)"})
    superior = fields.Nested(OfficialSchema, allow_none=True, metadata={
        "description": "Who signs above (default: the parent agency's head in the registry), e.g. the regent"})


class AgreementCreateSchema(ContentSchema):
    agency_id = Text(required=True, validate=validate.Length(min=1, max=64))
    year = Year(required=True)
    objectives = fields.List(fields.Nested(AgreementObjectiveSchema), required=True,
                             validate=validate.Length(min=1, max=50))


class AgreementRevisionSchema(ContentSchema):
    reason = Text(required=True, validate=validate.Length(min=1, max=500),
                  metadata={"example": "Refocusing anggaran sesuai Perubahan APBD 2025"})


class TargetRevisionSchema(Schema):
    indicator_id = fields.String()
    code = fields.String(allow_none=True)
    period = fields.String()
    before = fields.Nested(TargetValueSchema, allow_none=True)
    after = fields.Nested(TargetValueSchema, allow_none=True)


class VersionSchema(Schema):
    number = fields.Integer()
    reason = fields.String(allow_none=True)
    signed_by = fields.String()
    signed_at = fields.String()
    head = fields.Nested(OfficialSchema)
    superior = fields.Nested(OfficialSchema)
    objectives = fields.List(fields.Nested(AgreementObjectiveSchema))
    budget = fields.List(fields.Nested(BudgetLineSchema))
    place = fields.String(allow_none=True)
    target_revisions = fields.List(fields.Nested(TargetRevisionSchema))


class AgreementHistorySchema(Schema):
    at = fields.AwareDateTime()
    by = fields.String()
    action = fields.String()
    version = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)


class AgreementSchema(Schema):
    id = fields.String()
    agency_id = fields.String()
    year = fields.Integer()
    status = fields.String(metadata={"description": "draft or signed"})
    version_in_force = fields.Integer(allow_none=True)
    in_force = fields.Nested(VersionSchema, allow_none=True, metadata={"description": "The version in force"})
    draft = fields.Nested(ContentSchema, metadata={"description": "The content being drafted (the last one signed "
                                                                  "once signed)"})
    versions = fields.List(fields.Integer(), metadata={"description": "The numbers of every signed version"})
    history = fields.List(fields.Nested(AgreementHistorySchema))
    version = fields.Integer()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class AgreementQuerySchema(PageQuerySchema):
    agency_id = Text(validate=validate.Length(min=1, max=64))
    subtree = fields.Boolean(load_default=False, metadata={"description": "with agency_id: its whole subtree"})
    year = Year()
    status = fields.String(validate=validate.OneOf(("draft", "signed")))


AgreementPageSchema = page_schema(AgreementSchema, "AgreementPage")
