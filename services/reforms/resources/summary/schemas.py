"""Schemas of GET /api/v1/agencies/{id}/reform-summary."""
from marshmallow import Schema, fields, validate


class SummaryQuerySchema(Schema):
    year = fields.Integer(required=True, validate=validate.Range(min=1900, max=2200), metadata={"example": 2025})
    as_of = fields.Date(metadata={"description": "The day overdue follow-ups are measured against (default today)"})


class StatusCountsSchema(Schema):
    planned = fields.Integer()
    in_progress = fields.Integer()
    completed = fields.Integer()
    cancelled = fields.Integer()


class AreaCountsSchema(StatusCountsSchema):
    code = fields.String()
    name = fields.String()
    group = fields.String(metadata={"description": "general (areas of change) or thematic (RB Tematik)"})
    total = fields.Integer()


class ActivityCountsSchema(Schema):
    total = fields.Integer()
    by_status = fields.Nested(StatusCountsSchema)
    by_area = fields.List(fields.Nested(AreaCountsSchema), metadata={"description": "Every area, in reference order"})


class ParticipantCountsSchema(Schema):
    planned = fields.Integer()
    registered = fields.Integer()
    attended = fields.Integer()
    registered_in_completed = fields.Integer()
    attended_in_completed = fields.Integer()
    attendance_rate = fields.Float(allow_none=True, metadata={
        "description": "attended ÷ registered over completed activities, in %"})


class ParticipationSchema(Schema):
    registered = fields.Integer()
    attended = fields.Integer()


class FollowUpCountsSchema(Schema):
    total = fields.Integer()
    open = fields.Integer()
    in_progress = fields.Integer()
    done = fields.Integer()
    overdue = fields.Integer()


class ReformFiguresSchema(Schema):
    activities = fields.Nested(ActivityCountsSchema, metadata={"description": "Activities organised"})
    participants = fields.Nested(ParticipantCountsSchema, metadata={
        "description": "People in the activities organised (cancelled ones left out)"})
    participation = fields.Nested(ParticipationSchema, metadata={
        "description": "The agency's own people in anyone's activities (cancelled ones left out)"})
    follow_ups = fields.Nested(FollowUpCountsSchema, metadata={"description": "Follow-ups the agency owns"})


class SummaryAgencySchema(Schema):
    id = fields.String()
    code = fields.String()
    name = fields.String()
    short_name = fields.String(allow_none=True)
    type = fields.String()
    status = fields.String()


class ChildSummarySchema(Schema):
    agency = fields.Nested(SummaryAgencySchema)
    rollup = fields.Nested(ReformFiguresSchema)


class ReformSummarySchema(Schema):
    agency = fields.Nested(SummaryAgencySchema)
    year = fields.Integer()
    as_of = fields.Date()
    agencies_counted = fields.Integer(metadata={"description": "Agencies in the subtree"})
    own = fields.Nested(ReformFiguresSchema)
    rollup = fields.Nested(ReformFiguresSchema, metadata={"description": "own + every child's roll-up"})
    children = fields.List(fields.Nested(ChildSummarySchema))
