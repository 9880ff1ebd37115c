"""The Kinerja pytest plugin: fixtures for test suites that drive the event bus of a Kinerja stack.

Installed with the project (entry point `pytest11`), so any suite in the same environment has them; the
README's "Event-bus toolkit" section has an example test (which tests/e2e/test_bus_toolkit.py runs as written).

Where the stack is (options, or the environment variables in brackets):
  --kinerja-bootstrap [KINERJA_KAFKA_BOOTSTRAP]   Kafka bootstrap servers (default 127.0.0.1:9092)
  --kinerja-namespace [KINERJA_NAMESPACE]         the stack's topic prefix (default none, as `make run`)
  --kinerja-url SERVICE=URL (repeatable)          an API's base URL (default 127.0.0.1 and the service's port)
  --kinerja-jwt-secret [KINERJA_JWT_SECRET]       the secret the stack verifies tokens with (to mint them)
  --kinerja-start-stack                           start a stack of its own, in a fresh namespace, for the
                                                  session (needs Kafka and MongoDB: `make infra`)

Each test's `wait_for_event` and `assert_no_dead_letters` only see what happened after the test began.
"""
from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

import pytest
import requests

from shared.auth.tokens import mint_token
from kinerja.bus import EventBus, Positions, Received
from shared.events.envelope import Event
from services.registry import SERVICES

T = TypeVar("T")


def pytest_addoption(parser) -> None:
    group = parser.getgroup("kinerja", "Kinerja stack under test")
    group.addoption("--kinerja-bootstrap", default=os.environ.get("KINERJA_KAFKA_BOOTSTRAP", "127.0.0.1:9092"))
    group.addoption("--kinerja-namespace", default=os.environ.get("KINERJA_NAMESPACE", ""))
    group.addoption("--kinerja-url", action="append", default=[], metavar="SERVICE=URL")
    group.addoption("--kinerja-jwt-secret", default=os.environ.get("KINERJA_JWT_SECRET"))
    group.addoption("--kinerja-start-stack", action="store_true", default=False)


@dataclass
class KinerjaStack:
    """A running stack: its APIs (with an admin token unless told otherwise) and its event bus."""

    urls: dict[str, str]
    namespace: str
    bootstrap: str
    jwt_secret: str | None
    bus: EventBus = field(init=False)

    def __post_init__(self) -> None:
        self.bus = EventBus(self.bootstrap.split(","), namespace=self.namespace)
        self.session = requests.Session()

    def token(self, role: str = "admin", agency_id: str = "*", sub: str = "kinerja-pytest") -> str:
        if not self.jwt_secret:
            raise pytest.UsageError("minting tokens needs the stack's secret: --kinerja-jwt-secret or "
                                    "KINERJA_JWT_SECRET")
        return mint_token(key=self.jwt_secret, sub=sub, role=role, agency_id=agency_id, ttl_s=3600)

    def url(self, service: str, path: str) -> str:
        return self.urls[service].rstrip("/") + path

    def request(self, method: str, service: str, path: str, *, token: str | None = None,
                **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {token or self.token()}", **kwargs.pop("headers", {})}
        return self.session.request(method, self.url(service, path), headers=headers, timeout=30, **kwargs)

    def get(self, service: str, path: str, **kwargs) -> requests.Response:
        return self.request("GET", service, path, **kwargs)

    def post(self, service: str, path: str, *, expected: tuple[int, ...] = (200, 201), **kwargs) -> Any:
        """POST and return the JSON answer; fails the test (with the problem) on any other status."""
        response = self.request("POST", service, path, **kwargs)
        assert response.status_code in expected, f"POST {path}: {response.status_code} {response.text[:1000]}"
        return response.json()

    @staticmethod
    def unique(prefix: str) -> str:
        """A code no other test run uses (the stack may be shared)."""
        return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _urls(options: list[str]) -> dict[str, str]:
    urls = {name: f"http://127.0.0.1:{service.spec.api_port}" for name, service in SERVICES.items()}
    for option in options:
        service, _, url = option.partition("=")
        if service not in SERVICES or not url:
            raise pytest.UsageError(f"--kinerja-url {option!r}: expected SERVICE=URL with SERVICE one of {list(SERVICES)}")
        urls[service] = url
    return urls


@pytest.fixture(scope="session")
def kinerja_stack(request) -> KinerjaStack:
    """The stack under test: the one the options name, or (--kinerja-start-stack) one of its own in a fresh
    namespace, stopped and removed with its data at the end of the session."""
    options = request.config.option
    if not options.kinerja_start_stack:
        stack = KinerjaStack(_urls(options.kinerja_url), options.kinerja_namespace, options.kinerja_bootstrap,
                             options.kinerja_jwt_secret)
        yield stack
        stack.bus.close()
        return
    from kinerja.testing.stack import Stack

    own = Stack(f"kt{uuid.uuid4().hex[:8]}_", kafka=options.kinerja_bootstrap.split(",")[0]).start()
    stack = KinerjaStack({s: own.url(s, "") for s in SERVICES}, own.namespace, own.kafka, own.jwt_secret)
    try:
        yield stack
    finally:
        stack.bus.close()
        own.stop()
        own.drop_data()


@pytest.fixture
def kinerja(kinerja_stack) -> KinerjaStack:
    return kinerja_stack


@pytest.fixture
def kinerja_since(kinerja_stack) -> Positions:
    """Where every event and dead-letter topic ended when the test began."""
    bus = kinerja_stack.bus
    return bus.positions([*bus.event_topics(), *(bus.dead_letter_topic(s) for s in SERVICES)])


@pytest.fixture
def publish(kinerja_stack) -> Callable[..., Event]:
    """publish(type, data, subject=…, sequence=1): validated against the contract, sent as the services do."""
    return kinerja_stack.bus.publish


@pytest.fixture
def wait_for_event(kinerja_stack, kinerja_since) -> Callable[..., Event]:
    """wait_for_event(type=…, subject=…, predicate=…, timeout=10): the first such event since the test began."""
    def wait(*, type: str | None = None, subject: str | None = None, predicate=None, timeout: float = 10.0) -> Event:
        return kinerja_stack.bus.wait_for_event(type=type, subject=subject, predicate=predicate, since=kinerja_since,
                                                timeout=timeout)
    return wait


@pytest.fixture
def wait_until() -> Callable[..., Any]:
    """wait_until(call, predicate, timeout=10): call() until predicate(its result) holds; returns that result."""
    def wait(call: Callable[[], T], predicate: Callable[[T], bool] = bool, *, timeout: float = 10.0,
             interval: float = 0.1) -> T:
        deadline = time.monotonic() + timeout
        while True:
            result = call()
            if predicate(result):
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"condition not met within {timeout:g} s; last result: {result!r}"[:2000])
            time.sleep(interval)
    return wait


@pytest.fixture
def assert_no_dead_letters(kinerja_stack, kinerja_since) -> Callable[[], None]:
    """Fails, listing each one with its reason, if any service dead-lettered a message since the test began."""
    def check() -> None:
        bus = kinerja_stack.bus
        topics = [bus.dead_letter_topic(s) for s in SERVICES]
        since = {tp: offset for tp, offset in kinerja_since.items() if tp.topic in topics}
        letters: list[Received] = list(bus.read(topics, since=since))
        assert not letters, "dead letters since the test began:\n" + "\n".join(
            f"  {l.topic}[{l.partition}]@{l.offset}: {l.dead_letter.get('reason')}: {l.dead_letter.get('error', '')[:300]}"
            for l in letters)
    return check
