"""Request and response schemas of /api/v1/activities (with participants and attendance)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.contracts.reforms import ACTIVITY_STATUSES
from shared.http.pagination import PageQuerySchema, page_schema
from shared.reform_areas import AREA_CODES
from shared.text import Text

KINDS = ("fgd", "workshop", "training", "socialisation", "coaching", "assessment", "other")
ID = validate.Length(min=1, max=64)
NIP = r"^\d{18}$"


class SpeakerSchema(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=200), metadata={"example": "Dr. Basseng, M.Ed"})
    title = Text(load_default=None, allow_none=True, validate=validate.Length(max=200),
                 metadata={"example": "Kepala Pusat Inovasi Tata Pemerintahan"})
    affiliation = Text(load_default=None, allow_none=True, validate=validate.Length(max=200),
                       metadata={"example": "Lembaga Administrasi Negara"})


class FacilitatorSchema(Schema):
    agency_id = Text(validate=ID, metadata={"description": "An agency known to this service"})
    name = Text(validate=validate.Length(min=1, max=200), metadata={"description": "Or a named organisation"})

    @validates_schema
    def one_of(self, data, **_):
        if ("agency_id" in data) == ("name" in data):
            raise ValidationError("give either agency_id or name", "agency_id")


def _activity_fields(planning: bool) -> dict:
    """What can be said about an activity: when it is planned (title, kind, area, start and end required),
    and when it is changed while open (everything optional, the organiser fixed)."""
    required = {"required": True} if planning else {}
    return {
        **({"organiser_agency_id": Text(required=True, validate=ID)} if planning else {}),
        "title": Text(validate=validate.Length(min=1, max=300), **required,
                      metadata={"example": "FGD Mengubah Tata Pikir (mind set) Pimpinan SKPD"}),
        "description": Text(allow_none=True, validate=validate.Length(max=5000)),
        "kind": fields.String(validate=validate.OneOf(KINDS), **required),
        "area": fields.String(validate=validate.OneOf(AREA_CODES), **required, metadata={
            "description": "An RB area of change or RB Tematik theme (GET /api/v1/areas)"}),
        "facilitator": fields.Nested(FacilitatorSchema, allow_none=True),
        "speakers": fields.List(fields.Nested(SpeakerSchema), validate=validate.Length(max=50)),
        "venue": Text(allow_none=True, validate=validate.Length(max=300)),
        "start": fields.AwareDateTime(**required, metadata={
            "description": "With its UTC offset, e.g. 2025-01-30T08:00:00+07:00"}),
        "end": fields.AwareDateTime(**required, metadata={"description": "After start"}),
        "planned_participants": fields.Integer(allow_none=True, validate=validate.Range(min=0, max=100000)),
        "linked_indicator_ids": fields.List(Text(validate=ID), validate=validate.Length(max=50), metadata={
            "description": "Indicators the activity supports (active ones, as known from indicator events); a "
                           "completed activity counts toward those fed by reforms"}),
    }


ActivityCreateSchema = Schema.from_dict(_activity_fields(planning=True), name="ActivityCreate")
ActivityUpdateSchema = Schema.from_dict(_activity_fields(planning=False), name="ActivityUpdate")


class LinkedIndicatorSchema(Schema):
    id = fields.String()
    agency_id = fields.String()
    code = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "active, retired, or unknown (not seen by this service)"})


class StatusChangeSchema(Schema):
    at = fields.AwareDateTime()
    by = fields.String()
    status = fields.String()
    reason = fields.String(allow_none=True)


class AgencyCountSchema(Schema):
    agency_id = fields.String()
    registered = fields.Integer()
    attended = fields.Integer()


class ActivitySchema(ActivityCreateSchema):
    id = fields.String()
    status = fields.String(metadata={"description": "planned, in_progress, completed or cancelled"})
    year = fields.Integer(metadata={"description": "Year of the local start date (what summaries count by)"})
    registered = fields.Integer()
    attended = fields.Integer()
    participant_agency_ids = fields.List(fields.String())
    by_agency = fields.List(fields.Nested(AgencyCountSchema))
    linked_indicators = fields.List(fields.Nested(LinkedIndicatorSchema))
    summary = fields.String(allow_none=True)
    outcomes = fields.List(fields.String())
    cancel_reason = fields.String(allow_none=True)
    history = fields.List(fields.Nested(StatusChangeSchema))
    created_by = fields.String()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    version = fields.Integer()


class ActivityListQuerySchema(PageQuerySchema):
    agency_id = Text(validate=ID, metadata={"description": "Organised by this agency (and, by default, its subtree)"})
    subtree = fields.Boolean(load_default=True, metadata={"description": "with agency_id: include its subtree"})
    area = fields.String(validate=validate.OneOf(AREA_CODES))
    kind = fields.String(validate=validate.OneOf(KINDS))
    status = fields.String(validate=validate.OneOf(ACTIVITY_STATUSES))
    year = fields.Integer(validate=validate.Range(min=1900, max=2200))
    participant_agency_id = Text(validate=ID, metadata={"description": "With a participant from this agency"})
    from_ = fields.Date(data_key="from", attribute="from",
                        metadata={"description": "Taking place on or after this day (UTC)"})
    to = fields.Date(metadata={"description": "Taking place on or before this day (UTC)"})
    q = Text(validate=validate.Length(min=1, max=100), metadata={
        "description": "Words: activities with a word of their title starting with each"})
    order = fields.String(load_default="asc", validate=validate.OneOf(("asc", "desc")),
                          metadata={"description": "By start: asc (timeline) or desc (latest first)"})

    @validates_schema
    def range(self, data, **_):
        if "from" in data and "to" in data and data["from"] > data["to"]:
            raise ValidationError("must not be after to", "from")


ActivityPageSchema = page_schema(ActivitySchema, "ActivityPage")


class CompleteSchema(Schema):
    summary = Text(required=True, validate=validate.Length(min=1, max=5000),
                   metadata={"description": "What took place and was agreed"})
    outcomes = fields.List(Text(validate=validate.Length(min=1, max=1000)), load_default=list,
                           validate=validate.Length(max=50))


class ReasonSchema(Schema):
    reason = Text(required=True, validate=validate.Length(min=1, max=500))


class ParticipantInputSchema(Schema):
    agency_id = Text(required=True, validate=ID, metadata={"description": "An active agency"})
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    position = Text(load_default=None, allow_none=True, validate=validate.Length(max=200),
                    metadata={"example": "Kepala Dinas Kesehatan"})
    nip = Text(load_default=None, allow_none=True, validate=validate.Regexp(NIP, error="18 digits"),
               metadata={"description": "Civil-servant number (NIP): identifies the person across name spellings"})


class RegistrationSchema(Schema):
    participants = fields.List(fields.Nested(ParticipantInputSchema), required=True,
                               validate=validate.Length(min=1, max=500))


class AttendanceSchema(Schema):
    attended = fields.List(Text(validate=ID), load_default=list, validate=validate.Length(max=5000),
                           metadata={"description": "Participant ids who attended"})
    absent = fields.List(Text(validate=ID), load_default=list, validate=validate.Length(max=5000))

    @validates_schema
    def something(self, data, **_):
        if not data["attended"] and not data["absent"]:
            raise ValidationError("name at least one participant, as attended or absent", "attended")


class ParticipantSchema(Schema):
    id = fields.String()
    agency_id = fields.String()
    name = fields.String()
    position = fields.String(allow_none=True)
    nip = fields.String(allow_none=True)
    attended = fields.Boolean(allow_none=True, metadata={"description": "null until attendance is marked"})
    registered_at = fields.AwareDateTime()


class ParticipantListSchema(Schema):
    activity_id = fields.String()
    status = fields.String()
    version = fields.Integer(metadata={"description": "The activity's version (its ETag)"})
    planned = fields.Integer(allow_none=True)
    registered = fields.Integer()
    attended = fields.Integer()
    not_marked = fields.Integer(metadata={"description": "Registered participants whose attendance is not marked"})
    by_agency = fields.List(fields.Nested(AgencyCountSchema))
    items = fields.List(fields.Nested(ParticipantSchema))
