"""Request and response schemas of work culture: instruments, surveys, answers, results, the culture index."""
from marshmallow import Schema, fields, validate

from shared.contracts.reforms import PHASE_STATUSES, DimensionResult
from shared.text import Flag, Text

ID = validate.Length(min=1, max=64)
CODE = validate.Regexp(r"^[a-z][a-z0-9_]{1,39}$", error="lower-case letters, digits and _, 2–40 characters")
ITEM_CODE = validate.Regexp(r"^[A-Za-z0-9_]{1,16}$", error="letters, digits and _, at most 16 characters")


class ItemSchema(Schema):
    code = fields.String(required=True, validate=ITEM_CODE, metadata={"example": "AK1"})
    text = Text(required=True, validate=validate.Length(min=1, max=500),
                metadata={"example": "Saya melaksanakan tugas dengan jujur dan bertanggung jawab."})
    reverse = Flag(load_default=False, metadata={"description": "Reverse-scored: 5 counts as 1"})


class DimensionSchema(Schema):
    code = fields.String(required=True, validate=CODE, metadata={"example": "akuntabel"})
    label = Text(required=True, validate=validate.Length(min=1, max=200), metadata={"example": "Akuntabel"})
    items = fields.List(fields.Nested(ItemSchema), required=True, validate=validate.Length(min=1, max=50))


def _definition(required: bool) -> dict:
    needed = {"required": True} if required else {}
    return {"title": Text(validate=validate.Length(min=1, max=300), **needed),
            "description": Text(allow_none=True, validate=validate.Length(max=2000)),
            "dimensions": fields.List(fields.Nested(DimensionSchema), validate=validate.Length(min=1, max=20),
                                      **needed)}


InstrumentCreateSchema = Schema.from_dict({"code": fields.String(required=True, validate=CODE), **_definition(True)},
                                          name="InstrumentCreate")
InstrumentVersionSchema = Schema.from_dict(_definition(True), name="InstrumentVersion")
InstrumentUpdateSchema = Schema.from_dict(_definition(False), name="InstrumentUpdate")


class InstrumentSchema(Schema):
    id = fields.String(metadata={"description": "code-revision, e.g. berakhlak-1"})
    code = fields.String()
    revision = fields.Integer(metadata={"description": "The instrument's version number (its id is code-revision)"})
    title = fields.String()
    description = fields.String(allow_none=True)
    dimensions = fields.List(fields.Nested(DimensionSchema))
    in_use = fields.Boolean(metadata={"description": "Used by a survey: never changed again"})
    created_by = fields.String()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    version = fields.Integer(metadata={"description": "The record's version (its ETag)"})


class SurveyCreateSchema(Schema):
    instrument_id = Text(required=True, validate=ID, metadata={"example": "berakhlak-1"})
    k = fields.Integer(load_default=5, validate=validate.Range(min=2, max=100), metadata={
        "description": "Smallest group whose results are shown (default 5)"})


class PhaseSchema(Schema):
    status = fields.String(metadata={"description": " → ".join(PHASE_STATUSES)})
    opened_at = fields.AwareDateTime(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)


class SurveyHistorySchema(Schema):
    at = fields.AwareDateTime()
    by = fields.String()
    phase = fields.String(allow_none=True)
    status = fields.String()


class SurveySchema(Schema):
    id = fields.String()
    activity_id = fields.String()
    activity_title = fields.String()
    activity_year = fields.Integer()
    organiser_agency_id = fields.String()
    instrument_id = fields.String()
    instrument_code = fields.String()
    k = fields.Integer()
    pre = fields.Nested(PhaseSchema, metadata={"description": "Before: opens while the activity has not ended and "
                                                              "takes answers until its end at the latest"})
    post = fields.Nested(PhaseSchema, metadata={"description": "After: opens once the activity has started and pre "
                                                               "is closed"})
    answered = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "How many answered each phase"})
    history = fields.List(fields.Nested(SurveyHistorySchema))
    created_by = fields.String()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    version = fields.Integer()


class AnswerSchema(Schema):
    # Raw values: the domain names each item that is not a whole number 1–5 (true, 2.5 and "4" included).
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True,
                          metadata={"description": "Every item of the instrument: {item code: 1..5}",
                                    "example": {"AK1": 4, "AK2": 5, "AK3": 2}})


class AnswerReceiptSchema(Schema):
    survey_id = fields.String()
    phase = fields.String()
    answered_at = fields.AwareDateTime()


class ResultAgencySchema(Schema):
    id = fields.String(allow_none=True)
    code = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    short_name = fields.String(allow_none=True)
    type = fields.String(allow_none=True)
    status = fields.String(allow_none=True)


class AgencyResultSchema(Schema):
    agency_id = fields.String()
    agency = fields.Nested(ResultAgencySchema)
    dimensions = fields.List(fields.Nested(DimensionResult))


class PhaseCountSchema(Schema):
    status = fields.String()
    respondents = fields.Integer()


class InstrumentRefSchema(Schema):
    id = fields.String()
    code = fields.String()
    revision = fields.Integer()
    title = fields.String()


class SurveyResultsSchema(Schema):
    survey_id = fields.String()
    activity_id = fields.String()
    k = fields.Integer(metadata={"description": "Groups smaller than this show no number (shown: false)"})
    instrument = fields.Nested(InstrumentRefSchema)
    phases = fields.Dict(keys=fields.String(), values=fields.Nested(PhaseCountSchema))
    dimensions = fields.List(fields.Nested(DimensionResult), metadata={
        "description": "Per dimension and `overall` (0–100): pre and post means, the paired change with its 95 % "
                       "interval over those who answered both"})
    by_agency = fields.List(fields.Nested(AgencyResultSchema), metadata={
        "description": "The same per participating agency (the respondent's own), each under the k rule"})


class SurveyListQuerySchema(Schema):
    agency_id = Text(validate=ID, metadata={"description": "Organised in this agency's subtree (default: the caller's)"})
    year = fields.Integer(required=True, validate=validate.Range(min=1900, max=2200))


class CultureIndexQuerySchema(Schema):
    year = fields.Integer(required=True, validate=validate.Range(min=1900, max=2200))
    instrument = fields.String(validate=CODE, metadata={"description": "Only surveys of this instrument code"})


class CultureSurveyRefSchema(Schema):
    id = fields.String()
    activity_id = fields.String()
    activity_title = fields.String()
    instrument_id = fields.String()
    closed_at = fields.AwareDateTime()


class CultureIndexSchema(Schema):
    agency = fields.Nested(ResultAgencySchema)
    year = fields.Integer()
    index = fields.Float(allow_none=True, metadata={"description": "0–100: the latest closed post phase's overall "
                                                                   "mean over the subtree's people; null if none"})
    dimensions = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True), allow_none=True)
    respondents = fields.Integer(allow_none=True)
    survey = fields.Nested(CultureSurveyRefSchema, allow_none=True)

