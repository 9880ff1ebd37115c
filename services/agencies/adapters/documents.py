"""MongoDB documents of the agencies service."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from mongoengine import DateTimeField, EmbeddedDocument, EmbeddedDocumentField, ListField, StringField

from shared.outbox import OutboxDocument


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Head(EmbeddedDocument):
    name = StringField(required=True)
    title = StringField(required=True)


class Agency(OutboxDocument):
    meta = {
        "collection": "agencies",
        "indexes": [
            {"fields": ["code"], "unique": True},
            "parent_id",
            "path",
            "outbox_pending",
        ],
    }

    id = StringField(primary_key=True, default=lambda: str(uuid.uuid4()))
    code = StringField(required=True)
    name = StringField(required=True)
    short_name = StringField(null=True)
    type = StringField(required=True)
    parent_id = StringField(null=True)
    path = ListField(StringField())
    status = StringField(required=True, default="active")
    head = EmbeddedDocumentField(Head, null=True)
    created_at = DateTimeField(default=_now)
    updated_at = DateTimeField(default=_now)

    def audited_state(self) -> dict:
        """The fields an audit record shows before and after a change."""
        head = {"name": self.head.name, "title": self.head.title} if self.head else None
        return {**self.snapshot(), "head": head}

    def snapshot(self) -> dict:
        """What other services' replicas hold about an agency (the event contract's shape)."""
        return {"id": self.id, "code": self.code, "name": self.name, "short_name": self.short_name,
                "type": self.type, "parent_id": self.parent_id, "path": list(self.path), "status": self.status}
