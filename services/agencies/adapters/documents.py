"""MongoDB collection of the agencies service: its fields and indexes (the data is written through
shared.store.AggregateStore, see adapters.repository)."""
from __future__ import annotations

from mongoengine import (BooleanField, DateTimeField, DictField, EmbeddedDocument, EmbeddedDocumentField,
                         IntField, ListField, StringField)

from shared.store.outbox import OutboxDocument


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
            {"fields": ["subtree_dirty"], "sparse": True},
            "search",  # `q` (shared.search): a range per word, so the matches are sorted after
        ],
    }

    id = StringField(primary_key=True)
    code = StringField(required=True)
    name = StringField(required=True)
    short_name = StringField(null=True)
    type = StringField(required=True)
    parent_id = StringField(null=True)
    path = ListField(StringField())
    status = StringField(required=True)
    head = EmbeddedDocumentField(Head, null=True)
    contact = EmbeddedDocumentField(Contact, null=True)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    # Set by a move until every descendant's path has been rewritten (see commands.moves).
    subtree_dirty = BooleanField()
    # Agencies being placed under this one right now (marker -> when it was set) and how many ever were: a
    # deactivation waits for them (see adapters.repository.AgencyRepository.placing_under).
    placing = DictField()
    placements = IntField()
    search = ListField(StringField())  # the words of its name, short name and code (shared.search)
