"""The demo data of `make run` in a test or bench stack, and a dashboard server in front of that stack."""
from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager
from typing import Iterator

import requests

from kinerja import demo
from kinerja.testing.stack import BIN, REPO, Stack, free_port
from shared.auth.tokens import mint_token
from tests.support.wait import answers, wait_for

SERVICES = ("agencies", "indicators", "reforms")


def admin_header(stack: Stack) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(key=stack.jwt_secret, sub='demo', role='admin', agency_id='*')}"}


def load_demo(stack: Stack, units: int = 22) -> dict:
    """The demo data of `make run` (kinerja.demo), through the stack's APIs; the regency grown to `units` work units
    (the demo has 22). Returns the regency as the registry has it."""
    # Each with a head: the demo's agreements are signed by the unit's head as the registry names them.
    extra = [f"1506.{n:02d},Unit Kerja {n},work_unit,1506,UK {n},Pimpinan Unit {n},Kepala Unit Kerja {n},"
             for n in range(23, units + 1)]
    demo.load({s: stack.url(s, "") for s in SERVICES}, stack.jwt_secret, extra)
    return requests.get(stack.url("agencies", "/api/v1/agencies?q=1506&type=regency"), headers=admin_header(stack),
                        timeout=10).json()["items"][0]


@contextmanager
def dashboard_server(stack: Stack) -> Iterator[str]:
    """A dashboard server on a free port whose page calls the stack's APIs; yields its URL."""
    port = free_port()
    apis = ",".join(f"{s}={stack.url(s, '')}" for s in SERVICES)
    log = open(stack.log_dir / "dashboard.log", "ab")
    process = subprocess.Popen([str(BIN / "gunicorn"), "-b", f"127.0.0.1:{port}", "-w", "1", "--threads", "4",
                                "dashboard.server:app"], cwd=REPO, env={**os.environ, "KINERJA_DASHBOARD_APIS": apis},
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: answers(f"{url}/healthz"), timeout=30, message="the dashboard server")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
