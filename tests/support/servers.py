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


class KafkaCluster:
    """Kafka brokers of a test's own in KRaft mode, each broker and controller (a three-voter quorum), from the
    same jars as the shared broker (deploy/local/kafka.sh provisions them), on free ports: a broker can be killed
    with SIGKILL and started again on its data."""

    def __init__(self, state: Path, brokers: int = 3, heap: str = "320m"):
        import hashlib

        self.state = state
        self.heap = heap
        self.ports = [free_port() for _ in range(brokers)]
        self.controller_ports = [free_port() for _ in range(brokers)]
        pom = LOCAL / "kafka" / "pom.xml"
        self.libs = Path(os.environ.get("KINERJA_CACHE_DIR", Path.home() / ".cache" / "kinerja")) / \
            f"kafka-{hashlib.sha256(pom.read_bytes()).hexdigest()[:12]}" / "libs"
        self.processes: dict[int, subprocess.Popen] = {}

    @property
    def bootstrap(self) -> str:
        return ",".join(f"127.0.0.1:{port}" for port in self.ports)

    def _java(self, node: int) -> list[str]:
        logs = self.state / f"broker-{node}" / "logs"
        return ["java", "-Xms128m", f"-Xmx{self.heap}", "-XX:+UseG1GC", "-Djava.awt.headless=true",
                f"-Dlog4j2.configurationFile={LOCAL / 'kafka' / 'log4j2.properties'}", f"-Dkafka.logs.dir={logs}",
                "-cp", f"{self.libs}/*"]

    def _config(self, node: int) -> Path:
        directory = self.state / f"broker-{node}"
        (directory / "logs").mkdir(parents=True, exist_ok=True)
        voters = ",".join(f"{i + 1}@127.0.0.1:{port}" for i, port in enumerate(self.controller_ports))
        config = directory / "server.properties"
        config.write_text("\n".join([
            "process.roles=broker,controller", f"node.id={node + 1}", f"controller.quorum.voters={voters}",
            f"listeners=PLAINTEXT://127.0.0.1:{self.ports[node]},CONTROLLER://127.0.0.1:{self.controller_ports[node]}",
            f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.ports[node]}",
            "controller.listener.names=CONTROLLER", "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT", f"log.dirs={directory / 'data'}",
            "offsets.topic.replication.factor=3", "offsets.topic.num.partitions=6",
            "transaction.state.log.replication.factor=3", "transaction.state.log.min.isr=2",
            "default.replication.factor=3", "min.insync.replicas=2", "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=false", "share.coordinator.state.topic.replication.factor=3",
            "share.coordinator.state.topic.min.isr=2", ""]))
        return config

    def start(self) -> "KafkaCluster":
        subprocess.run([str(LOCAL / "kafka.sh"), "provision"], check=True, capture_output=True)
        cluster_id = subprocess.run([*self._java(0), "kafka.tools.StorageTool", "random-uuid"], capture_output=True,
                                    text=True, check=True).stdout.strip().splitlines()[-1]
        for node in range(len(self.ports)):
            config = self._config(node)
            subprocess.run([*self._java(node), "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c",
                            str(config)], check=True, capture_output=True)
        for node in range(len(self.ports)):
            self.start_broker(node)
        self.wait_up(range(len(self.ports)))
        return self

    def start_broker(self, node: int) -> None:
        directory = self.state / f"broker-{node}"
        out = open(directory / "logs" / "kafka.out", "ab")
        self.processes[node] = subprocess.Popen([*self._java(node), "kafka.Kafka", str(directory / "server.properties")],
                                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_up(self, nodes, timeout: float = 120.0) -> None:
        import time

        deadline = time.monotonic() + timeout
        for node in nodes:
            log = self.state / f"broker-{node}" / "logs" / "kafka.log"
            while not (log.exists() and "Kafka Server started" in log.read_text(errors="replace")):
                if self.processes[node].poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"broker {node + 1} did not start; see {log.parent}")
                time.sleep(0.2)

    def kill(self, node: int) -> None:
        import signal

        process = self.processes.pop(node)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def restart(self, node: int) -> None:
        log = self.state / f"broker-{node}" / "logs" / "kafka.log"
        if log.exists():
            log.rename(log.with_name("kafka.log.before-kill"))
        self.start_broker(node)
        self.wait_up([node])

    def stop(self) -> None:
        import signal

        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.processes.clear()
