"""Polling helpers: e2e tests wait for effects that arrive asynchronously through Kafka."""
from __future__ import annotations

import time
from typing import Callable, TypeVar

T = TypeVar("T")


def wait_for(probe: Callable[[], T], *, timeout: float = 10.0, interval: float = 0.05,
             message: str = "condition") -> T:
    """Call `probe` until it returns something truthy; fail with `message` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message} (last: {last!r})")


def answers(url: str) -> bool:
    """Whether `url` answers 200 now; False while nothing listens there yet (a process starting or restarting)."""
    import requests

    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False
