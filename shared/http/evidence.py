"""Evidence links, the same wherever a record carries them (realisations, change commitments' milestones)."""
from marshmallow import Schema, fields, validate

from shared.text import Text


class EvidenceSchema(Schema):
    title = Text(required=True, validate=validate.Length(min=1, max=200))
    link = fields.Url(required=True, validate=validate.Length(max=2000))
