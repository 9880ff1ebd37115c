"""Request and response schemas of follow-up actions (rencana tindak lanjut)."""
from marshmallow import Schema, fields, validate

from shared.contracts.reforms import FOLLOW_UP_STATUSES
from shared.http.pagination import PageQuerySchema, page_schema
from shared.text import Text

ID = validate.Length(min=1, max=64)


class FollowUpCreateSchema(Schema):
    action = Text(required=True, validate=validate.Length(min=1, max=1000),
                  metadata={"example": "Menyusun rencana aksi budaya kerja baru di setiap SKPD"})
    owner_agency_id = Text(required=True, validate=ID, metadata={"description": "The active agency that carries it out"})
    due = fields.Date(required=True)
    note = Text(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class FollowUpUpdateSchema(Schema):
    action = Text(validate=validate.Length(min=1, max=1000))
    owner_agency_id = Text(validate=ID)
    due = fields.Date()
    note = Text(allow_none=True, validate=validate.Length(max=2000), metadata={"description": "Progress note"})
    status = fields.String(validate=validate.OneOf(FOLLOW_UP_STATUSES),
                           metadata={"description": "open ⇄ in_progress → done (done is final)"})


class FollowUpHistorySchema(Schema):
    at = fields.AwareDateTime()
    by = fields.String()
    status = fields.String()
    note = fields.String(allow_none=True)


class FollowUpSchema(Schema):
    id = fields.String()
    type = fields.String(metadata={"description": "follow_up; in the overdue list also milestone (of a change "
                                                  "commitment: see commitment_id)"})
    commitment_id = fields.String(metadata={"description": "Of a milestone: its change commitment"})
    participant_name = fields.String(metadata={"description": "Of a milestone: who committed to it"})
    activity_id = fields.String()
    activity_title = fields.String()
    activity_year = fields.Integer()
    organiser_agency_id = fields.String()
    action = fields.String()
    owner_agency_id = fields.String()
    due = fields.String(metadata={"description": "ISO date"})
    status = fields.String(metadata={"description": "open, in_progress or done"})
    overdue = fields.Boolean(metadata={"description": "Not done and due before the listing's as_of date"})
    note = fields.String(allow_none=True)
    done_at = fields.AwareDateTime(allow_none=True)
    history = fields.List(fields.Nested(FollowUpHistorySchema))
    created_by = fields.String()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    version = fields.Integer()


class FollowUpListQuerySchema(PageQuerySchema):
    agency_id = Text(validate=ID, metadata={"description": "Owned by this agency (and, by default, its subtree); "
                                                           "default: the caller's agency"})
    subtree = fields.Boolean(load_default=True)
    overdue = fields.Boolean(load_default=False, metadata={
        "description": "Only those not done and due before as_of, with the overdue milestones of change commitments"})
    status = fields.String(validate=validate.OneOf(FOLLOW_UP_STATUSES))
    year = fields.Integer(validate=validate.Range(min=1900, max=2200), metadata={"description": "Of the activity"})
    as_of = fields.Date(metadata={"description": "The day overdue is measured against (default: today, UTC)"})


FollowUpPageSchema = page_schema(FollowUpSchema, "FollowUpPage")


class FollowUpListSchema(FollowUpPageSchema):
    as_of = fields.Date()
