"""Servers of a test's own, on free ports and in a directory of its own, started by the same scripts
as the shared ones (deploy/local). Fault tests stop and restart these, never the shared servers, so a
`make run` or another test run on the same machine is never touched."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from kinerja.testing.stack import free_port

REPO = Path(__file__).resolve().parents[2]
LOCAL = REPO / "deploy" / "local"


class OwnKafka:
    def __init__(self, state: Path):
        self.state = state
        self.port, self.controller_port = free_port(), free_port()

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _script(self, command: str) -> None:
        env = {**os.environ, "KAFKA_PORT": str(self.port), "KAFKA_CONTROLLER_PORT": str(self.controller_port),
               "KAFKA_STATE": str(self.state), "KAFKA_HEAP": "384m"}
        subprocess.run([str(LOCAL / "kafka.sh"), command], env=env, check=True, capture_output=True)

    def start(self) -> "OwnKafka":
        self._script("start")
        return self

    def stop(self) -> None:
        self._script("stop")


class OwnMongo:
    def __init__(self, state: Path):
        self.state = state
        self.port = free_port()

    @property
    def uri(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}"

    def _script(self, command: str) -> None:
        env = {**os.environ, "MONGO_PORT": str(self.port), "MONGO_STATE": str(self.state)}
        subprocess.run([str(LOCAL / "mongo.sh"), command], env=env, check=True, capture_output=True)

    @property
    def pid(self) -> int:
        return int((self.state / "server.pid").read_text())

    def start(self) -> "OwnMongo":
        self._script("start")
        return self

    def stop(self) -> None:
        self._script("stop")
