"""`make run`'s supervised stack, run by the same script with every port and directory its own
(its own MongoDB and Kafka too): a process that dies is restarted while the others keep serving, and
Ctrl-C stops every process it started and leaves no pid file behind."""
from __future__ import annotations

import os
import signal
import subprocess
import threading
from pathlib import Path

import pytest
import requests

from tests.conftest import TEST_JWT_SECRET, auth_header
from tests.support.servers import LOCAL, REPO, free_port
from tests.support.wait import answers, wait_for

pytestmark = pytest.mark.reliability
SERVICES = ("agencies", "indicators", "reforms")
ADMIN = auth_header("admin")


class RunningStack:
    def __init__(self, state: Path, namespace: str):
        self.state = state
        self.api = {s: free_port() for s in SERVICES}
        self.worker = {s: free_port() for s in SERVICES}
        self.env = {**os.environ, "KINERJA_STATE_DIR": str(state), "KINERJA_NAMESPACE": namespace,
                    "KINERJA_JWT_SECRET": TEST_JWT_SECRET, "MONGO_PORT": str(free_port()),
                    "KAFKA_PORT": str(free_port()), "KAFKA_CONTROLLER_PORT": str(free_port()), "KAFKA_HEAP": "384m",
                    "KINERJA_DASHBOARD_PORT": str(free_port()),
                    **{f"KINERJA_{s.upper()}_PORT": str(p) for s, p in self.api.items()},
                    **{f"KINERJA_{s.upper()}_WORKER_PORT": str(p) for s, p in self.worker.items()}}
        self.env.pop("KINERJA_MONGO_URI", None)
        self.env.pop("KINERJA_KAFKA_BOOTSTRAP", None)
        self.output = state / "run.out"
        self.process: subprocess.Popen | None = None

    def start(self) -> "RunningStack":
        self.state.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen([str(LOCAL / "services.sh"), "run"], cwd=REPO, env=self.env,
                                        stdout=self.output.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
                                        preexec_fn=_as_in_a_terminal)
        wait_for(lambda: "Press Ctrl-C" in self.output.read_text() or self.process.poll() is not None, timeout=240,
                 interval=0.5, message="make run's stack to be ready")
        assert self.process.poll() is None, self.output.read_text()
        return self

    def ctl(self, *args: str) -> str:
        conf = self.state / "supervisor" / "supervisord.conf"
        return subprocess.run([str(REPO / ".venv" / "bin" / "supervisorctl"), "-c", str(conf), *args],
                              capture_output=True, text=True).stdout

    def pid(self, program: str) -> int:
        return int(self.ctl("pid", program).strip())

    def interrupt(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        self.process.wait(timeout=120)


def _as_in_a_terminal() -> None:
    """Ctrl-C as a terminal delivers it: a test run started in the background (`cmd &` in a script, as a CI
    runner may) inherits SIGINT ignored, and a shell started with it ignored cannot trap it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


def alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "\nState:\tZ" not in status.read_text()


@pytest.fixture(scope="module")
def running(tmp_path_factory, namespace):
    stack = RunningStack(tmp_path_factory.mktemp("run"), f"{namespace}sup_").start()
    yield stack
    if stack.process.poll() is None:
        try:
            stack.interrupt()
        except subprocess.TimeoutExpired:  # the test has failed already; leave nothing running behind it
            stack.ctl("shutdown")
            os.killpg(stack.process.pid, signal.SIGKILL)
            raise


def test_a_dying_process_is_restarted_while_the_others_keep_serving(running):
    agencies = f"http://127.0.0.1:{running.api['agencies']}/api/v1/agencies?page_size=5"
    reforms = f"http://127.0.0.1:{running.api['reforms']}/readyz"
    statuses: list[int] = []
    stop = threading.Event()

    def keep_asking():
        session = requests.Session()
        while not stop.is_set():
            statuses.append(session.get(agencies, headers=ADMIN, timeout=10).status_code)
            statuses.append(session.get(reforms, timeout=10).status_code)

    before = {p: running.pid(p) for p in ("indicators-worker", "indicators-api")}
    asking = threading.Thread(target=keep_asking)
    asking.start()
    try:
        os.kill(before["indicators-worker"], signal.SIGKILL)
        os.kill(before["indicators-api"], signal.SIGKILL)
        wait_for(lambda: "RUNNING" in running.ctl("status", "indicators-worker")
                 and running.pid("indicators-worker") not in (0, before["indicators-worker"]), timeout=60,
                 message="the indicators worker restarted")
        wait_for(lambda: answers(f"http://127.0.0.1:{running.worker['indicators']}/healthz"), timeout=60,
                 message="the restarted worker healthy")
        wait_for(lambda: answers(f"http://127.0.0.1:{running.api['indicators']}/readyz"), timeout=60,
                 message="the restarted indicators API ready")
    finally:
        stop.set()
        asking.join(timeout=30)
    assert len(statuses) > 20 and set(statuses) == {200}, statuses


def test_ctrl_c_stops_everything_it_started_and_leaves_no_pid_file(running):
    programs = ["mongo", "kafka", "dashboard", *(f"{s}-{kind}" for s in SERVICES for kind in ("api", "worker"))]
    pids = {program: running.pid(program) for program in programs}
    supervisord = int((running.state / "supervisor" / "supervisord.pid").read_text())
    assert all(pids.values()), pids
    running.interrupt()
    wait_for(lambda: not any(alive(pid) for pid in [*pids.values(), supervisord]), timeout=60,
             message="every process of the stack gone")
    assert sorted(str(p.relative_to(running.state)) for p in running.state.rglob("*.pid")) == []
