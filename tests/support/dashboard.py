"""The demo data of `make run` in a test or bench stack, and a dashboard server in front of that stack."""
from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from typing import Iterator

import requests

from kinerja.testing.stack import BIN, REPO, Stack, free_port
from shared.auth.tokens import mint_token
from tests.support.wait import answers, wait_for

DEMO = REPO / "deploy" / "local" / "demo"
SERVICES = ("agencies", "indicators", "reforms")


def admin_header(stack: Stack) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(key=stack.jwt_secret, sub='demo', role='admin', agency_id='*')}"}


def load_demo(stack: Stack, units: int = 22) -> dict:
    """The demo agencies, indicators, plans and agreements and reform activities, through the stack's APIs by
    `make run`'s own loaders (in its order);
    the regency grown to `units` work units (the demo has 22). Returns the regency as the registry has it."""
    admin = admin_header(stack)
    rows = (DEMO / "tanjabbar.csv").read_text().strip().splitlines()
    rows += [f"1506.{n:02d},Unit Kerja {n},work_unit,1506,UK {n},,," for n in range(23, units + 1)]
    imported = requests.post(stack.url("agencies", "/api/v1/agencies/import"), data="\n".join(rows).encode(),
                             headers={**admin, "Content-Type": "text/csv"}, timeout=120)
    assert imported.status_code == 200, imported.text
    env = {**os.environ, "KINERJA_JWT_SECRET": stack.jwt_secret, "PYTHONPATH": str(REPO)}
    urls = [stack.url(s, "") for s in SERVICES]
    for script, args in (("indicators.py", urls[:2]), ("sakip.py", urls[:2]), ("reforms.py", urls)):
        done = subprocess.run([sys.executable, str(DEMO / script), *args], env=env, capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
    return requests.get(stack.url("agencies", "/api/v1/agencies?q=1506&type=regency"), headers=admin,
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
