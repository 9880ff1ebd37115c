from marshmallow import Schema, fields, validate

from shared.text import Text


class LockCreateSchema(Schema):
    agency_id = Text(required=True, validate=validate.Length(min=1, max=64))
    period = Text(required=True, validate=validate.Length(min=4, max=6), metadata={"example": "2025"})
    reason = Text(load_default=None, allow_none=True, validate=validate.Length(max=500))


class LockQuerySchema(Schema):
    agency_id = Text(validate=validate.Length(min=1, max=64))
    period = Text(validate=validate.Length(min=4, max=6))
    locked_only = fields.Boolean(load_default=False)
    covering = fields.Boolean(load_default=False, metadata={
        "description": "with agency_id: also the locks of its ancestors (they close its periods too)"})


class LockEntrySchema(Schema):
    locked = fields.Boolean()
    by = fields.String()
    at = fields.AwareDateTime()
    reason = fields.String(allow_none=True)


class LockSchema(LockEntrySchema):
    id = fields.String()
    agency_id = fields.String()
    period = fields.String()
    history = fields.List(fields.Nested(LockEntrySchema))
    version = fields.Integer()
