"""The ceiling the APIs are measured against: gunicorn with the same settings (deploy/gunicorn.conf.py)
serving bare pymongo calls, with no framework, validation, authentication, audit or events.

    GET  /docs/<id>  -> find_one by _id, JSON
    POST /docs       -> insert_one of the JSON body, 201

Run by `make bench` only: `gunicorn -c deploy/gunicorn.conf.py tests.bench.baseline:app`.
"""
from __future__ import annotations

import json
import os
import uuid

from pymongo import MongoClient

_collection = None


def collection():
    # Created in each gunicorn worker after the fork, like the services' clients.
    global _collection
    if _collection is None:
        client = MongoClient(os.environ.get("KINERJA_MONGO_URI", "mongodb://127.0.0.1:27017"))
        _collection = client[os.environ["BASELINE_DB"]]["docs"]
    return _collection


def app(environ, start_response):
    method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
    if method == "GET" and path.startswith("/docs/"):
        doc = collection().find_one({"_id": path[len("/docs/"):]})
        status, body = ("200 OK", doc) if doc else ("404 Not Found", {"detail": "not found"})
    elif method == "POST" and path == "/docs":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        doc = {**json.loads(environ["wsgi.input"].read(length)), "_id": str(uuid.uuid4())}
        collection().insert_one(doc)
        status, body = "201 Created", doc
    else:
        status, body = "404 Not Found", {"detail": "not found"}
    payload = json.dumps(body, default=str).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return [payload]
