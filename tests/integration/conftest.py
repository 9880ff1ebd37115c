"""Integration tests need the real servers; they fail loudly (never skip) when those are down."""
from __future__ import annotations

import pytest
from pymongo import MongoClient

from shared.db import connect_mongo
from shared.http.ops import kafka_reachable
from tests.conftest import auth_header


@pytest.fixture(scope="session", autouse=True)
def real_infrastructure():
    ok, detail = kafka_reachable(["127.0.0.1:9092"])
    assert ok, "Kafka is not running on 127.0.0.1:9092: start it with `make infra` (make test does)"
    client = MongoClient("mongodb://127.0.0.1:27017", serverSelectionTimeoutMS=3000)
    client.admin.command("ping")
    client.close()


@pytest.fixture
def agencies_settings(settings_for):
    return settings_for("agencies", "it_")


@pytest.fixture
def agencies_app(agencies_settings):
    from services.agencies.app import create_app

    app = create_app(agencies_settings)
    app.testing = True
    return app


@pytest.fixture
def client(agencies_app):
    """A test client that sends an admin token unless a request says otherwise."""
    client = agencies_app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = auth_header("admin")["Authorization"]
    return client


@pytest.fixture
def anonymous(agencies_app):
    return agencies_app.test_client()


@pytest.fixture
def mongo_db(agencies_settings):
    return connect_mongo(agencies_settings)
