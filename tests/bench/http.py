"""HTTP rows of the bench: our APIs under wrk against the bare gunicorn + pymongo ceiling."""
from __future__ import annotations

import json
import os
import subprocess
import time
import uuid

import requests
from pymongo import MongoClient

from tests.bench import wrk
from tests.bench.report import Row, ratio_row
from tests.conftest import auth_header
from kinerja.testing.stack import BIN, REPO, Stack, free_port

ADMIN = auth_header("admin")
MONGO = "mongodb://127.0.0.1:27017"


class BaselineServer:
    """tests.bench.baseline under gunicorn with the APIs' own settings file and worker counts."""

    def __init__(self, database: str):
        self.database = database
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> "BaselineServer":
        env = {**os.environ, "KINERJA_BIND": f"127.0.0.1:{self.port}", "BASELINE_DB": self.database,
               "KINERJA_WEB_WORKERS": Stack.WEB_WORKERS}
        self.process = subprocess.Popen([str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
                                         "tests.bench.baseline:app"], cwd=REPO, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(self.url("/docs/none"), timeout=1)
                return self
            except requests.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the baseline server did not start")
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def drop_data(self) -> None:
        MongoClient(MONGO).drop_database(self.database)


def agency_read_row(stack: Stack, baseline: BaselineServer, agency: dict, seconds: int, scenario: str) -> Row:
    return read_row(stack, baseline, seconds, scenario, "agencies", f"/api/v1/agencies/{agency['id']}", agency)


def seed_agencies(stack: Stack, count: int) -> dict:
    """`count` agencies through the import endpoint; returns one of them as the API shows it."""
    prefix = "S" + uuid.uuid4().hex[:6]
    rows = [{"code": f"{prefix}.P", "name": f"Provinsi {prefix}", "type": "province"}]
    rows += [{"code": f"{prefix}.{i:04d}", "name": f"Dinas {i}", "type": "work_unit", "parent_code": f"{prefix}.P",
              "head_name": "Drs. H. Ahmad", "head_title": "Kepala Dinas"} for i in range(count - 1)]
    response = requests.post(stack.url("agencies", "/api/v1/agencies/import"), json=rows, headers=ADMIN, timeout=120)
    response.raise_for_status()
    agency_id = response.json()["rows"][-1]["id"]
    return requests.get(stack.url("agencies", f"/api/v1/agencies/{agency_id}"), headers=ADMIN, timeout=10).json()


def read_row(stack: Stack, baseline: BaselineServer, seconds: int, scenario: str, service: str, path: str,
             document: dict) -> Row:
    """GET `path` of `service` with a bearer token vs find_one of the same document (what that GET
    answers) through the bare server, alternating (ours, ceiling, ours, ceiling) so that drift on a
    shared machine hits both alike."""
    key = str(uuid.uuid4())
    MongoClient(MONGO)[baseline.database]["docs"].insert_one({**document, "_id": key})
    half = max(1, seconds // 2)
    runs = {"ours": [], "ceiling": []}
    for _ in range(2):
        runs["ours"].append(wrk.run(stack.url(service, path), seconds=half, headers=ADMIN))
        runs["ceiling"].append(wrk.run(baseline.url(f"/docs/{key}"), seconds=half))
    ours, ceiling = wrk.combine(runs["ours"]), wrk.combine(runs["ceiling"])
    return ratio_row(scenario, ours.requests_per_s, ceiling.requests_per_s, "req/s", 0.60,
                     extra=f"p99 {ours.p99_ms:.1f} ms{_errors(ours, ceiling)}",
                     extra_ok=ours.p99_ms < 50 and _clean(ours, ceiling), extra_budget="p99 < 50 ms")


def create_row(stack: Stack, baseline: BaselineServer, seconds: int, drained) -> Row:
    """A validated create with its event and audit record vs a bare insert_one of the same body. Ours runs
    with its whole pipeline (relay, both consumers) at work, as it would; the ceiling runs after that
    pipeline has drained, so that it is not slowed by ours."""
    template = json.dumps({"code": "{code}", "name": "Dinas Pendidikan dan Kebudayaan", "type": "province",
                           "head": {"name": "Drs. H. Ahmad", "title": "Kepala Dinas"}})
    prefix = "W" + uuid.uuid4().hex[:6]
    drained(stack)
    ours = wrk.run(stack.url("agencies", "/api/v1/agencies"), seconds=seconds, headers=ADMIN,
                   post_template=template, prefix=prefix)
    drained(stack)
    ceiling = wrk.run(baseline.url("/docs"), seconds=seconds, post_template=template, prefix=prefix)
    return ratio_row("POST agency (validated, event + audit)", ours.requests_per_s, ceiling.requests_per_s,
                     "req/s", 0.30, extra=f"p99 {ours.p99_ms:.1f} ms{_errors(ours, ceiling)}",
                     extra_ok=_clean(ours, ceiling))


def _clean(*results: wrk.WrkResult) -> bool:
    """A run with socket errors or non-2xx answers measured something else: its row cannot pass."""
    return not any(r.errors for r in results)


def _errors(ours: wrk.WrkResult, ceiling: wrk.WrkResult) -> str:
    return "" if _clean(ours, ceiling) else f"; errors: ours {ours.errors}, ceiling {ceiling.errors}"
