"""Request and response schemas of /api/v1/agencies."""
from marshmallow import Schema, fields, validate

from services.agencies.domain.agency import AGENCY_TYPES

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$"


class HeadSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200),
                         metadata={"example": "H. Mukhlis"})
    title = fields.String(required=True, validate=validate.Length(min=1, max=200),
                          metadata={"example": "Sekretaris Daerah"})


class AgencyCreateSchema(Schema):
    code = fields.String(required=True, validate=validate.Regexp(CODE_PATTERN, error="1-50 letters, digits, '.', '_' or '-'"),
                         metadata={"example": "1506"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=200),
                         metadata={"example": "Pemerintah Kabupaten Tanjung Jabung Barat"})
    short_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=60),
                               metadata={"example": "Pemkab Tanjabbar"})
    type = fields.String(required=True, validate=validate.OneOf(AGENCY_TYPES), metadata={"example": "regency"})
    parent_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64))
    head = fields.Nested(HeadSchema, load_default=None, allow_none=True)


class AgencySchema(Schema):
    id = fields.String()
    code = fields.String()
    name = fields.String()
    short_name = fields.String(allow_none=True)
    type = fields.String()
    parent_id = fields.String(allow_none=True)
    path = fields.List(fields.String(), metadata={"description": "Ancestor ids, root first"})
    status = fields.String()
    head = fields.Nested(HeadSchema, allow_none=True)
    version = fields.Integer()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
