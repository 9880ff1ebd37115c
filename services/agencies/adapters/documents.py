"""MongoDB documents of the agencies service, and the plain-dict views the commands work with."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from mongoengine import (BooleanField, DateTimeField, EmbeddedDocument, EmbeddedDocumentField, ListField,
                         StringField)

from shared.outbox import OutboxDocument

# Bookkeeping fields never shown to API clients.
INTERNAL_FIELDS = {"outbox": 0, "outbox_pending": 0, "audit_pending": 0, "subtree_dirty": 0}


def now() -> datetime:
    return datetime.now(timezone.utc)


def new_agency_id() -> str:
    return str(uuid.uuid4())


class Head(EmbeddedDocument):
    name = StringField(required=True)
    title = StringField(required=True)


class Contact(EmbeddedDocument):
    address = StringField(null=True)
    phone = StringField(null=True)
    email = StringField(null=True)
    website = StringField(null=True)


class Agency(OutboxDocument):
    meta = {
        "collection": "agencies",
        "indexes": [
            {"fields": ["code"], "unique": True},
            "parent_id",
            "path",
            "status",
            # List sorts: each field tied by _id (see queries.list_agencies).
            ("name", "_id"),
            ("type", "_id"),
            ("created_at", "_id"),
            ("updated_at", "_id"),
            "outbox_pending",
            "subtree_dirty",
        ],
    }

    id = StringField(primary_key=True, default=new_agency_id)
    code = StringField(required=True)
    name = StringField(required=True)
    short_name = StringField(null=True)
    type = StringField(required=True)
    parent_id = StringField(null=True)
    path = ListField(StringField())
    status = StringField(required=True, default="active")
    head = EmbeddedDocumentField(Head, null=True)
    contact = EmbeddedDocumentField(Contact, null=True)
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)
    # Set by a move until every descendant's path has been rewritten (see commands.moves).
    subtree_dirty = BooleanField(default=False)


def collection():
    return Agency._get_collection()


def find_agency(agency_id: str) -> dict | None:
    return collection().find_one({"_id": agency_id}, INTERNAL_FIELDS)


def snapshot_of(doc: dict) -> dict:
    """What other services' replicas hold about an agency (the event contract's shape)."""
    return {"id": doc["_id"], "code": doc["code"], "name": doc["name"], "short_name": doc.get("short_name"),
            "type": doc["type"], "parent_id": doc.get("parent_id"), "path": list(doc.get("path") or ()),
            "status": doc["status"]}


def audited_state_of(doc: dict) -> dict:
    """The fields an audit record shows before and after a change."""
    return {**snapshot_of(doc), "head": doc.get("head"), "contact": doc.get("contact")}


def public_view(doc: dict) -> dict:
    """The API representation (AgencySchema dumps it)."""
    return {**{k: v for k, v in doc.items() if k not in INTERNAL_FIELDS and k != "_id"}, "id": doc["_id"]}
