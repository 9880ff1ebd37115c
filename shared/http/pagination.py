"""Page-numbered lists, the same in every service: `page` from 1, `page_size` at most 100."""
from __future__ import annotations

from typing import Any, Callable

from marshmallow import Schema, fields, validate
from pymongo.collection import Collection

MAX_PAGE_SIZE = 100


class PageQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """A response schema {items, page, page_size, total} for `item_schema` items."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema)),
        "page": fields.Integer(),
        "page_size": fields.Integer(),
        "total": fields.Integer(metadata={"description": "Matching records over all pages"}),
    }, name=name)


def fetch_page(collection: Collection, mongo_filter: dict, query: dict, sort: list[tuple[str, int]],
               projection: dict | None = None, view: Callable[[dict], Any] = lambda d: d) -> dict:
    page, size = query["page"], query["page_size"]
    cursor = collection.find(mongo_filter, projection).sort(sort).skip((page - 1) * size).limit(size)
    return {"items": [view(doc) for doc in cursor], "page": page, "page_size": size,
            # Counting a whole collection from its metadata, not by scanning it.
            "total": collection.count_documents(mongo_filter) if mongo_filter else collection.estimated_document_count()}
