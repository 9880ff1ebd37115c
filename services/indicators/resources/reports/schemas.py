from marshmallow import Schema, fields, validate

from shared.text import Text
from services.indicators.domain.narratives import CHAPTERS, INDICATOR_PARTS, MAX_TEXT
from services.indicators.resources.scorecards.schemas import PeriodQuerySchema

SHEETS = ("indicators", "units")


class ChapterSchema(Schema):
    text = Text(required=True, validate=validate.Length(max=MAX_TEXT), metadata={
        "description": "The chapter's text (paragraphs separated by a blank line)",
        "example": "Tahun 2025 Dinas Kesehatan memusatkan upayanya pada layanan dasar."})


class IndicatorNarrativeSchema(Schema):
    analysis = Text(validate=validate.Length(max=MAX_TEXT), metadata={"description": "Analisis capaian"})
    supporting = Text(validate=validate.Length(max=MAX_TEXT), metadata={"description": "Faktor pendukung"})
    hindering = Text(validate=validate.Length(max=MAX_TEXT), metadata={"description": "Faktor penghambat"})
    follow_up = Text(validate=validate.Length(max=MAX_TEXT), metadata={"description": "Tindak lanjut"})


class NarrativesSchema(Schema):
    id = fields.String()
    agency_id = fields.String()
    year = fields.Integer()
    chapters = fields.Dict(keys=fields.String(validate=validate.OneOf(CHAPTERS)), values=fields.String(),
                           metadata={"description": f"By chapter: {', '.join(CHAPTERS)}"})
    indicators = fields.Dict(keys=fields.String(), values=fields.Dict(), metadata={
        "description": f"By indicator id: {', '.join(INDICATOR_PARTS)}"})
    version = fields.Integer(allow_none=True)


class DocumentVersionQuerySchema(Schema):
    version = fields.Integer(validate=validate.Range(min=1), metadata={
        "description": "A signed version (default: the one in force; a draft agreement prints its draft)"})


class SheetQuerySchema(PeriodQuerySchema):
    sheet = fields.String(load_default="indicators", validate=validate.OneOf(SHEETS), metadata={
        "description": "Which sheet of the workbook the CSV holds"})
