"""Integration tests need the real servers; they fail loudly (never skip) when those are down."""
from __future__ import annotations

import pytest
from pymongo import MongoClient

from shared.events.kafka import kafka_reachable


@pytest.fixture(scope="session", autouse=True)
def real_infrastructure():
    ok, detail = kafka_reachable(["127.0.0.1:9092"])
    assert ok, "Kafka is not running on 127.0.0.1:9092: start it with `make infra` (make test does)"
    client = MongoClient("mongodb://127.0.0.1:27017", serverSelectionTimeoutMS=3000)
    client.admin.command("ping")
    client.close()
