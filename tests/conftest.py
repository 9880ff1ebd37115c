"""Fixtures shared by every test layer.

Integration, e2e and reliability tests run against the real Kafka and MongoDB that `make test`
starts; each run works in its own namespace (database names, topics, consumer groups) so runs
never see each other's data.
"""
from __future__ import annotations

import os
import uuid

import pytest

from shared.auth.tokens import mint_token
from shared.settings import Settings, load_settings

# Tests sign their tokens with this development secret (HS256); nothing real uses it.
TEST_JWT_SECRET = "kinerja-test-secret-0123456789abcdefghijklmnopqrstuvwxyz"


def token_for(role: str, agency_id: str = "*", sub: str | None = None, **options) -> str:
    return mint_token(key=TEST_JWT_SECRET, sub=sub or f"{role}-tester", role=role, agency_id=agency_id, **options)


def auth_header(role: str = "admin", agency_id: str = "*", sub: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(role, agency_id, sub)}"}


@pytest.fixture(scope="session")
def namespace() -> str:
    """This run's prefix of database names, topics and consumer groups. Everything under it is removed
    when the run ends, so `make test` leaves nothing behind on the shared servers."""
    name = os.environ.get("KINERJA_TEST_NAMESPACE") or f"t{uuid.uuid4().hex[:10]}_"
    yield name
    from kinerja.testing.stack import drop_namespace

    try:
        drop_namespace(name)
    except Exception as err:  # noqa: BLE001 - servers already gone (a unit-only run): nothing to remove
        print(f"could not remove the run's databases and topics: {err}")


@pytest.fixture(scope="session")
def settings_for(namespace):
    """Settings of a service inside this run's namespace (an optional suffix isolates a test module)."""
    from services.registry import SERVICES

    def make(service: str, suffix: str = "", **env: str) -> Settings:
        return load_settings(SERVICES[service].spec, {"KINERJA_NAMESPACE": f"{namespace}{suffix}",
                                                      "KINERJA_JWT_SECRET": TEST_JWT_SECRET, **env})
    return make


@pytest.fixture(scope="session")
def stack(namespace):
    """The three APIs and three workers as real processes, in this run's namespace."""
    from kinerja.testing.stack import Stack

    stack = Stack(f"{namespace}e2e_", jwt_secret=TEST_JWT_SECRET).start()
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def kinerja_stack(stack):
    """The plugin's fixtures (kinerja.testing: publish, wait_for_event, assert_no_dead_letters, …) on this
    run's e2e stack."""
    from kinerja.testing import KinerjaStack
    from services.registry import SERVICES

    view = KinerjaStack({service: stack.url(service, "") for service in SERVICES}, stack.namespace, stack.kafka,
                        stack.jwt_secret)
    yield view
    view.bus.close()


@pytest.fixture(scope="session")
def mailpit():
    """The local mail catcher `make infra` starts (tests.support.mailpit.Mailpit: SMTP to send to, the REST
    API to read what arrived); fails, saying how to start it, when it does not answer."""
    from tests.support.mailpit import mailpit_server

    return mailpit_server()


@pytest.fixture
def agencies_settings(settings_for):
    return settings_for("agencies", "it_")


def app_of(service: str, settings: Settings):
    """A service's app as gunicorn builds it, for Flask's test client."""
    from services.registry import SERVICES
    from shared.http.app import build_app

    from tests.support.db import remember

    app = build_app(SERVICES[service], settings, catalogue=SERVICES.values())
    app.testing = True
    remember(app.extensions["kinerja.db"])
    return app


@pytest.fixture
def agencies_app(agencies_settings):
    return app_of("agencies", agencies_settings)


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
def mongo_db(agencies_app):
    return agencies_app.extensions["kinerja.db"]
