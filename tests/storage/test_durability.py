"""Acknowledged writes survive a kill -9 of the server. The test runs a server of its own, on its own
port and data directory, started by the same script and flags as the shared one (deploy/local/mongo.sh)."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from pymongo import MongoClient
from pymongo.errors import PyMongoError

from tests.support.servers import OwnMongo


def connect(server: OwnMongo, timeout: float = 60) -> MongoClient:
    client = MongoClient(server.uri, serverSelectionTimeoutMS=1000, directConnection=True)
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.admin.command("ping")
            return client
        except PyMongoError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _wait_dead(pid: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = Path(f"/proc/{pid}/status")
        if not status.exists() or "\nState:\tZ" in status.read_text():  # gone, or a zombie not yet reaped
            return
        time.sleep(0.05)


@pytest.mark.skipif(os.environ.get("KINERJA_MONGO_URI") not in (None, "mongodb://127.0.0.1:27017"),
                    reason="kills a local server of its own; not run against an external MongoDB")
def test_acknowledged_inserts_survive_kill_9(tmp_path):
    server = OwnMongo(tmp_path).start()
    try:
        client = connect(server)
        docs = client.durability.docs
        for index in range(1000):
            docs.insert_one({"_id": index, "payload": "x" * 200})  # each one acknowledged before the next
        client.close()
        os.kill(server.pid, signal.SIGKILL)
        _wait_dead(server.pid)

        server.start()
        client = connect(server)
        assert sorted(d["_id"] for d in client.durability.docs.find({}, {"_id": 1})) == list(range(1000))
        client.close()
    finally:
        server.stop()
