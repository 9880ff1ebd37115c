"""The storage contract runs against whatever MongoDB-wire server KINERJA_MONGO_URI names (default: the
local one `make test` starts), so an ops team can run it against their own MongoDB:

    KINERJA_MONGO_URI=mongodb://db.example:27017 .venv/bin/pytest tests/storage
"""
from __future__ import annotations

import os
import uuid

import pytest
from pymongo import MongoClient

MONGO_URI = os.environ.get("KINERJA_MONGO_URI", "mongodb://127.0.0.1:27017")


@pytest.fixture(scope="session")
def mongo_client():
    client = MongoClient(MONGO_URI, serverSelectionTimeoutMS=3000, uuidRepresentation="standard")
    client.admin.command("ping")
    yield client
    client.close()


@pytest.fixture(scope="session")
def storage_db(mongo_client, namespace):
    db = mongo_client[f"{namespace}storage_contract"]
    yield db
    mongo_client.drop_database(db.name)


@pytest.fixture
def coll(storage_db):
    collection = storage_db[f"c{uuid.uuid4().hex[:12]}"]
    yield collection
    collection.drop()
