"""Request and response schemas of /api/v1/agencies."""
from marshmallow import Schema, fields, validate

from shared.contracts.agencies import AgencySnapshot
from shared.http.pagination import PageQuerySchema, page_schema
from shared.text import Text
from services.agencies.domain.agency import CODE_PATTERN, TYPE_PATTERN



class HeadSchema(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=200),
                         metadata={"example": "H. Mukhlis"})
    title = Text(required=True, validate=validate.Length(min=1, max=200),
                          metadata={"example": "Sekretaris Daerah"})


class ContactSchema(Schema):
    address = Text(load_default=None, allow_none=True, validate=validate.Length(max=500),
                            metadata={"example": "Jl. Jend. Sudirman No. 1, Kuala Tungkal"})
    phone = Text(load_default=None, allow_none=True, validate=validate.Length(max=50))
    email = fields.Email(load_default=None, allow_none=True)
    website = fields.Url(load_default=None, allow_none=True)


class AgencyCreateSchema(Schema):
    code = Text(required=True, validate=validate.Regexp(CODE_PATTERN, error="1-50 letters, digits, '.', '_' or '-'"),
                         metadata={"example": "1506"})
    name = Text(required=True, validate=validate.Length(min=1, max=200),
                         metadata={"example": "Pemerintah Kabupaten Tanjung Jabung Barat"})
    short_name = Text(load_default=None, allow_none=True, validate=validate.Length(max=60),
                               metadata={"example": "Pemkab Tanjabbar"})
    type = Text(required=True, validate=validate.Regexp(TYPE_PATTERN),
                         metadata={"example": "regency", "description": "One of the configured agency types"})
    parent_id = Text(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64))
    head = fields.Nested(HeadSchema, load_default=None, allow_none=True)
    contact = fields.Nested(ContactSchema, load_default=None, allow_none=True)


class AgencyUpdateSchema(Schema):
    """Descriptive fields only; code, type and place in the tree change through their own endpoints."""
    name = Text(validate=validate.Length(min=1, max=200))
    short_name = Text(allow_none=True, validate=validate.Length(max=60))
    head = fields.Nested(HeadSchema, allow_none=True)
    contact = fields.Nested(ContactSchema, allow_none=True)
    reason = Text(validate=validate.Length(max=500), metadata={"description": "Kept in the audit trail"})


class MoveSchema(Schema):
    parent_id = Text(required=True, allow_none=True, validate=validate.Length(min=1, max=64),
                              metadata={"description": "The new parent; null makes the agency a root"})
    reason = Text(load_default=None, allow_none=True, validate=validate.Length(max=500))


class StatusChangeSchema(Schema):
    reason = Text(load_default=None, allow_none=True, validate=validate.Length(max=500),
                           metadata={"example": "Merged into Dinas Kominfo (Perda 5/2026)"})


class AgencyListQuerySchema(PageQuerySchema):
    type = Text()
    status = Text(validate=validate.OneOf(("active", "inactive")))
    parent_id = Text()
    root_only = fields.Boolean(metadata={"description": "Only agencies without a parent"})
    q = Text(validate=validate.Length(min=1, max=100), metadata={
        "description": "Words: agencies with a word of their name, short name or code starting with each (\"dinas kes\", \"1506.0\")"})
    sort = Text(load_default="code", validate=validate.OneOf(
        [f"{sign}{f}" for f in ("code", "name", "type", "created_at", "updated_at") for sign in ("", "-")]))


class DepthQuerySchema(Schema):
    max_depth = fields.Integer(load_default=None, validate=validate.Range(min=1, max=50))


class DescendantQuerySchema(PageQuerySchema, DepthQuerySchema):
    pass


class AgencySchema(AgencySnapshot):
    """The snapshot of the event contract, plus what only the registry holds."""

    head = fields.Nested(HeadSchema, allow_none=True)
    contact = fields.Nested(ContactSchema, allow_none=True)
    version = fields.Integer()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class DescendantSchema(AgencySchema):
    depth = fields.Integer(metadata={"description": "Levels below the agency asked for (children: 1)"})


class AncestorSchema(AgencySchema):
    """A readable ancestor in full; one above the caller's scope as a breadcrumb (id, code, name, type)."""

    restricted = fields.Boolean(metadata={"description": "Present and true for a breadcrumb: the caller may not "
                                                         "read this ancestor, only see where the agency sits"})


class AgencyTreeSchema(AgencySchema):
    children = fields.List(fields.Nested(lambda: AgencyTreeSchema()))


AgencyPageSchema = page_schema(AgencySchema, "AgencyPage")
DescendantPageSchema = page_schema(DescendantSchema, "DescendantPage")


class ImportQuerySchema(Schema):
    dry_run = fields.Boolean(load_default=False, metadata={"description": "Validate and report; write nothing"})


class ImportRowReportSchema(Schema):
    line = fields.Integer()
    code = fields.String()
    outcome = fields.String(metadata={"description": "created, updated or unchanged"})
    id = fields.String(allow_none=True)


class ImportReportSchema(Schema):
    dry_run = fields.Boolean()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    rows = fields.List(fields.Nested(ImportRowReportSchema))
