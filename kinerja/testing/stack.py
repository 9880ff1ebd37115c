"""Runs the real processes (three gunicorn APIs, three workers) for e2e, reliability and bench runs, and
for the pytest plugin's `--kinerja-start-stack`.

Each stack gets its own namespace and free ports, so it never touches a `make run` on the same
machine; logs go to .local/logs/tests/. It needs Kafka and MongoDB running (`make infra`).
"""
from __future__ import annotations

import ctypes
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from services.registry import SERVICES as DECLARED, api_app, service_named, worker_args

REPO = Path(__file__).resolve().parents[2]  # a checkout with deploy/ (the package is installed from it)
BIN = Path(sys.executable).parent
SERVICES = tuple(DECLARED)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to SIGTERM it when the test process dies, so a killed
    test run (timeout, Ctrl-C) leaves no stack running against the shared Kafka and MongoDB."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)




class Stack:
    WEB_WORKERS = "2"

    def __init__(self, namespace: str, log_dir: Path | None = None, *, kafka: str = "127.0.0.1:9092",
                 mongo: str = "mongodb://127.0.0.1:27017", jwt_secret: str | None = None,
                 services: tuple[str, ...] = SERVICES, env: dict[str, str] | None = None):
        """`jwt_secret` signs the tokens the stack accepts (default: $KINERJA_JWT_SECRET, else a fresh one);
        `services` are names of the registry or `module:attribute` declarations (default: every service);
        `env`: more settings for every process (e.g. the topics' replication on a cluster)."""
        self.extra_env = dict(env or {})
        self.services = tuple(services)
        self.namespace = namespace
        self.kafka, self.mongo = kafka, mongo
        self.jwt_secret = jwt_secret or os.environ.get("KINERJA_JWT_SECRET") or secrets.token_urlsafe(48)
        self.ports = {service: free_port() for service in self.services}
        self.worker_ports = {service: free_port() for service in self.services}
        self.log_dir = log_dir or REPO / ".local" / "logs" / "tests" / namespace.rstrip("_")
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.processes: dict[str, subprocess.Popen] = {}

    def url(self, service: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}{path}"

    def env(self) -> dict[str, str]:
        return {**os.environ, "KINERJA_NAMESPACE": self.namespace, "KINERJA_LOG_LEVEL": "INFO",
                "KINERJA_KAFKA_BOOTSTRAP": self.kafka, "KINERJA_MONGO_URI": self.mongo,
                "KINERJA_JWT_SECRET": self.jwt_secret,
                # Fewer partitions than production's 12: a test stack's groups balance faster on two cores.
                "KINERJA_TOPIC_PARTITIONS": os.environ.get("KINERJA_TOPIC_PARTITIONS", "3"),
                # A dashboard on any local port may call the APIs from a browser (tests start one on a free port).
                "KINERJA_CORS_ORIGINS": r"http://127\.0\.0\.1:\d+",
                "KINERJA_CONSUMER_BACKOFF_MS": "20", "PYTHONUNBUFFERED": "1", **self.extra_env}

    def _spawn(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        log = open(self.log_dir / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(argv, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                                start_new_session=True, preexec_fn=_die_with_parent)

    def start_api(self, service: str, replica: int = 0) -> int:
        """The service's API (`replica` > 0: one more, on a port of its own); returns its port."""
        port = self.ports[service] if replica == 0 else free_port()
        env = {**self.env(), "KINERJA_BIND": f"127.0.0.1:{port}", "KINERJA_WEB_WORKERS": self.WEB_WORKERS}
        name = f"{service}-api" + (f"-{replica}" if replica else "")
        self._spawn(name, [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", api_app(service)], env)
        return port

    def start_worker(self, service: str, replica: int = 0) -> int:
        """The service's worker (`replica` > 0: one more, named for static membership); returns its health port."""
        port = self.worker_ports[service] if replica == 0 else free_port()
        name = f"{service}-worker" + (f"-{replica}" if replica else "")
        # Static membership, as a Kubernetes pod's name gives it (a declaration's `module:attribute` made a name).
        instance = re.sub(r"[^A-Za-z0-9._-]", "-", f"{self.namespace}{name}")
        env = {**self.env(), "KINERJA_WORKER_BIND": f"127.0.0.1:{port}", "KINERJA_INSTANCE_ID": instance}
        self._spawn(name, [sys.executable, *worker_args(service)], env)
        return port

    def worker_url(self, service: str, path: str) -> str:
        return f"http://127.0.0.1:{self.worker_ports[service]}{path}"

    def start(self) -> "Stack":
        for service in self.services:
            self.start_api(service)
            self.start_worker(service)
        self.wait_ready()
        self.wait_consuming()
        return self

    def wait_consuming(self, timeout: float = 120) -> None:
        """Until every consuming worker owns all the partitions of its topics (its /metrics says so): before
        that, an event waits for the group's first rebalance, which a test's deadline would count against
        the system. (A consumer that kafka-python leaves stuck after an early rebalance is replaced by the
        worker's watchdog within a minute; this waits for that too.)"""
        partitions = int(os.environ.get("KINERJA_TOPIC_PARTITIONS", "3"))
        expected = {name: partitions * len(spec.consumes) for name in self.services
                    if (spec := service_named(name).spec).consumes}
        deadline = time.monotonic() + timeout
        owned: dict[str, float] = {}
        while True:
            for name in expected:
                try:
                    text = requests.get(self.worker_url(name, "/metrics"), timeout=2).text
                except requests.RequestException:
                    continue
                values = [float(line.split()[-1]) for line in text.splitlines()
                          if line.startswith("kinerja_consumer_assigned_partitions")]
                owned[name] = max(values, default=0.0)
            if all(owned.get(name, 0) >= count for name, count in expected.items()):
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"consumers own {owned} partitions, not {expected}, after {timeout}s; "
                                   f"see {self.log_dir}")
            time.sleep(0.2)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        for service in self.services:
            while True:
                try:
                    if requests.get(self.url(service, "/readyz"), timeout=2).status_code == 200:
                        break
                except requests.RequestException:  # not listening yet, or still starting
                    pass
                process = self.processes[f"{service}-api"]
                if process.poll() is not None:
                    raise RuntimeError(f"{service} API exited; see {self.log_dir}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{service} API not ready after {timeout}s; see {self.log_dir}")
                time.sleep(0.2)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def stop(self) -> None:
        for name in list(self.processes):
            process = self.processes[name]
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for name, process in list(self.processes.items()):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
            self.processes.pop(name)

    def drop_data(self) -> None:
        """Remove this stack's databases and topics (test and bench runs leave nothing behind)."""
        drop_namespace(self.namespace, kafka=self.kafka, mongo=self.mongo)


def drop_namespace(namespace: str, *, kafka: str = "127.0.0.1:9092", mongo: str = "mongodb://127.0.0.1:27017") -> None:
    from kafka import KafkaAdminClient
    from pymongo import MongoClient

    client = MongoClient(mongo)
    for name in client.list_database_names():
        if name.startswith(namespace):
            client.drop_database(name)
    client.close()
    admin = KafkaAdminClient(bootstrap_servers=kafka.split(","))
    try:
        topics = [t for t in admin.list_topics() if t.startswith(namespace)]
        if topics:
            admin.delete_topics(topics)
        # Consumer groups (the workers', the tools') go too; a group with members still connected stays.
        groups = [g["group_id"] for g in admin.list_groups() if g["group_id"].startswith(namespace)
                  and g.get("group_state") in ("Empty", "Dead")]
        if groups:
            try:
                admin.delete_groups(groups)
            except Exception as err:  # noqa: BLE001 - leftovers cost nothing; never fail a run's cleanup on them
                print(f"could not delete consumer groups of {namespace}: {err}")
    finally:
        admin.close()
