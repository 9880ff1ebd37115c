"""Request and response schemas of change commitments (aksi perubahan)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.contracts.reforms import MILESTONE_STATUSES
from shared.http.evidence import EvidenceSchema
from shared.http.pagination import PageQuerySchema, page_schema
from shared.text import Text

ID = validate.Length(min=1, max=64)


class MentorSchema(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=200), metadata={"example": "Dr. Basseng, M.Ed"})
    position = Text(load_default=None, allow_none=True, validate=validate.Length(max=200),
                    metadata={"example": "Kepala Pusat Inovasi Tata Pemerintahan, LAN"})
    agency_id = Text(load_default=None, allow_none=True, validate=ID)


class MilestoneInputSchema(Schema):
    title = Text(required=True, validate=validate.Length(min=1, max=300),
                 metadata={"example": "SOP layanan perizinan disahkan"})
    due = fields.Date(required=True)


class CommitmentCreateSchema(Schema):
    participant_id = Text(required=True, validate=ID, metadata={"description": "A participant of the activity"})
    title = Text(required=True, validate=validate.Length(min=1, max=300),
                 metadata={"example": "Layanan perizinan satu pintu dalam satu hari kerja"})
    description = Text(load_default=None, allow_none=True, validate=validate.Length(max=5000))
    mentor = fields.Nested(MentorSchema, load_default=None, allow_none=True)
    milestones = fields.List(fields.Nested(MilestoneInputSchema), required=True, validate=validate.Length(min=1, max=20))


class CommitmentUpdateSchema(Schema):
    title = Text(validate=validate.Length(min=1, max=300))
    description = Text(allow_none=True, validate=validate.Length(max=5000))
    mentor = fields.Nested(MentorSchema, allow_none=True)
    add_milestones = fields.List(fields.Nested(MilestoneInputSchema), validate=validate.Length(min=1, max=20))


class MilestoneUpdateSchema(Schema):
    title = Text(validate=validate.Length(min=1, max=300))
    due = fields.Date()
    status = fields.String(validate=validate.OneOf(MILESTONE_STATUSES),
                           metadata={"description": "planned ⇄ in_progress → done (done is final)"})
    evidence = fields.List(fields.Nested(EvidenceSchema), validate=validate.Length(max=20))
    note = Text(allow_none=True, validate=validate.Length(max=2000))

    @validates_schema
    def not_empty(self, data, **_):
        if not data:
            raise ValidationError("say what changes", "status")


class MilestoneSchema(Schema):
    id = fields.String()
    title = fields.String()
    due = fields.String(metadata={"description": "ISO date"})
    status = fields.String()
    overdue = fields.Boolean(metadata={"description": "Not done and due before as_of (default today)"})
    evidence = fields.List(fields.Nested(EvidenceSchema))
    note = fields.String(allow_none=True)
    done_at = fields.AwareDateTime(allow_none=True)


class CommitmentHistorySchema(Schema):
    at = fields.AwareDateTime()
    by = fields.String()
    status = fields.String()
    milestone_id = fields.String()
    milestone_status = fields.String()


class CommitmentSchema(Schema):
    id = fields.String()
    activity_id = fields.String()
    activity_title = fields.String()
    activity_year = fields.Integer()
    organiser_agency_id = fields.String()
    participant_id = fields.String()
    participant_name = fields.String()
    owner_agency_id = fields.String(metadata={"description": "The participant's agency"})
    title = fields.String()
    description = fields.String(allow_none=True)
    mentor = fields.Nested(MentorSchema, allow_none=True)
    milestones = fields.List(fields.Nested(MilestoneSchema))
    status = fields.String(metadata={"description": "planned, in_progress or done (from its milestones)"})
    next_due = fields.String(allow_none=True, metadata={"description": "Earliest due date of a milestone not done"})
    history = fields.List(fields.Nested(CommitmentHistorySchema))
    created_by = fields.String()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    version = fields.Integer()


class CommitmentListQuerySchema(PageQuerySchema):
    agency_id = Text(validate=ID, metadata={"description": "Of people of this agency (and, by default, its subtree); "
                                                           "default: the caller's agency"})
    subtree = fields.Boolean(load_default=True)
    overdue = fields.Boolean(load_default=False, metadata={"description": "Only those with an overdue milestone"})
    status = fields.String(validate=validate.OneOf(MILESTONE_STATUSES))
    year = fields.Integer(validate=validate.Range(min=1900, max=2200), metadata={"description": "Of the activity"})
    as_of = fields.Date(metadata={"description": "The day overdue is measured against (default: today, UTC)"})


CommitmentPageSchema = page_schema(CommitmentSchema, "CommitmentPage")


class CommitmentListSchema(CommitmentPageSchema):
    as_of = fields.Date()
