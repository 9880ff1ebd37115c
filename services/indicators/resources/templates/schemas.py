from marshmallow import Schema, fields, validate

from services.indicators.resources.scorecards.schemas import PeriodQuerySchema


class YearQuerySchema(Schema):
    year = fields.Integer(required=True, validate=validate.Range(min=1990, max=2100), metadata={"example": 2025})


class DryRunSchema(Schema):
    dry_run = fields.Boolean(load_default=False, metadata={"description": "Check every cell and report; write nothing"})


class ReportingUploadQuerySchema(PeriodQuerySchema, DryRunSchema):
    pass


class PlanningUploadQuerySchema(YearQuerySchema, DryRunSchema):
    pass


class UploadedRowSchema(Schema):
    sheet = fields.String()
    row = fields.Integer(metadata={"description": "As Excel numbers it (the header is row 1)"})
    key = fields.String(metadata={"description": "<indicator id>:<period>"})
    outcome = fields.String(metadata={"description": "unchanged, recorded, submitted, set or skipped (left empty)"})


class ReportingImportSchema(Schema):
    dry_run = fields.Boolean()
    period = fields.String()
    unchanged = fields.Integer()
    recorded = fields.Integer(metadata={"description": "Saved as drafts"})
    submitted = fields.Integer(metadata={"description": "Saved and submitted for verification"})
    skipped = fields.Integer()
    rows = fields.List(fields.Nested(UploadedRowSchema))


class PlanningImportSchema(Schema):
    dry_run = fields.Boolean()
    year = fields.Integer()
    unchanged = fields.Integer()
    set = fields.Integer(metadata={"description": "Targets set or revised"})
    skipped = fields.Integer()
    rows = fields.List(fields.Nested(UploadedRowSchema))
