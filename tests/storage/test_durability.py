"""Acknowledged writes survive a kill -9 of the server. The test runs a server of its own, on its own
port and data directory, started exactly as deploy/local/mongo.sh starts the shared one."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from pymongo import MongoClient
from pymongo.errors import PyMongoError

from tests.support.stack import REPO, free_port

MONGO_SH = REPO / "deploy" / "local" / "mongo.sh"


def start_server(port: int, state: Path) -> int:
    """deploy/local/mongo.sh start with our port and directory: same program, same flags. Returns its pid."""
    env = {**os.environ, "MONGO_PORT": str(port), "MONGO_STATE": str(state)}
    subprocess.run([str(MONGO_SH), "start"], env=env, check=True, capture_output=True)
    pid = int((state / "server.pid").read_text())
    return pid


def wait_for_server(port: int, timeout: float = 60) -> MongoClient:
    client = MongoClient(f"mongodb://127.0.0.1:{port}", serverSelectionTimeoutMS=1000, directConnection=True)
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.admin.command("ping")
            return client
        except PyMongoError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.skipif(os.environ.get("KINERJA_MONGO_URI") not in (None, "mongodb://127.0.0.1:27017"),
                    reason="kills a local server of its own; not run against an external MongoDB")
def test_acknowledged_inserts_survive_kill_9(tmp_path):
    port = free_port()
    pid = start_server(port, tmp_path)
    try:
        client = wait_for_server(port)
        docs = client.durability.docs
        for index in range(1000):
            docs.insert_one({"_id": index, "payload": "x" * 200})  # each one acknowledged before the next
        client.close()
        os.kill(pid, signal.SIGKILL)
        _wait_dead(pid)

        pid = start_server(port, tmp_path)
        client = wait_for_server(port)
        assert sorted(d["_id"] for d in client.durability.docs.find({}, {"_id": 1})) == list(range(1000))
        client.close()
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _wait_dead(pid)


def _wait_dead(pid: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = Path(f"/proc/{pid}/status")
        if not status.exists() or "\nState:\tZ" in status.read_text():  # gone, or a zombie not yet reaped
            return
        time.sleep(0.05)
