"""Writes the supervisord configuration of the local stack (`make run`) from the services' declarations.

Every process the stack needs is a supervisord program: MongoDB, Kafka and Mailpit in the foreground (unless
something already answers on their ports: then they are used and left alone), and each service's API
(gunicorn) and worker. A program that dies is restarted while the others keep serving; Ctrl-C on
`make run` shuts supervisord down, which stops every program it started.

    python deploy/local/supervisor.py <state dir>     # prints the path of the written configuration
"""
from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from services.registry import SERVICES, api_app, worker_args  # noqa: E402


def answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def program(name: str, command: str, *, priority: int, logs: Path, environment: dict[str, str] | None = None,
            stopwaitsecs: int = 30) -> str:
    env = ",".join(f'{key}="{value}"' for key, value in (environment or {}).items())
    return f"""
[program:{name}]
command={command}
directory={REPO}
priority={priority}
autostart=true
autorestart=true
startsecs=3
startretries=10
stopsignal=TERM
stopwaitsecs={stopwaitsecs}
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile={logs / (name + '.log')}
stdout_logfile_maxbytes=20MB
stdout_logfile_backups=2
{('environment=' + env) if env else ''}
"""


def write(state: Path) -> Path:
    logs = state / "logs"
    run = state / "supervisor"
    logs.mkdir(parents=True, exist_ok=True)
    run.mkdir(parents=True, exist_ok=True)
    python = Path(sys.executable)
    sections = [f"""[supervisord]
logfile={logs / 'supervisord.log'}
pidfile={run / 'supervisord.pid'}
childlogdir={logs}
nodaemon=false
loglevel=info

[unix_http_server]
file={run / 'supervisor.sock'}
chmod=0700

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://{run / 'supervisor.sock'}
"""]
    # The local servers, unless the environment names other ones or something already answers.
    mongo_port = int(os.environ.get("MONGO_PORT", "27017"))
    kafka_port = int(os.environ.get("KAFKA_PORT", "9092"))
    infrastructure = {"KINERJA_MONGO_URI": os.environ.get("KINERJA_MONGO_URI", f"mongodb://127.0.0.1:{mongo_port}"),
                      "KINERJA_KAFKA_BOOTSTRAP": os.environ.get("KINERJA_KAFKA_BOOTSTRAP", f"127.0.0.1:{kafka_port}")}
    if "KINERJA_MONGO_URI" not in os.environ and not answers(mongo_port):
        sections.append(program("mongo", f"{REPO}/deploy/local/mongo.sh run", priority=10, logs=logs))
    if "KINERJA_KAFKA_BOOTSTRAP" not in os.environ and not answers(kafka_port):
        sections.append(program("kafka", f"{REPO}/deploy/local/kafka.sh run", priority=10, logs=logs))
    # Mail goes to the local mail catcher (Mailpit: SMTP on 1025, the mails at http://127.0.0.1:8025),
    # unless the environment names another SMTP server or something already answers on the port.
    smtp_port = int(os.environ.get("KINERJA_SMTP_PORT", "1025"))
    infrastructure.update({"KINERJA_SMTP_HOST": os.environ.get("KINERJA_SMTP_HOST", "127.0.0.1"),
                           "KINERJA_SMTP_PORT": str(smtp_port),
                           "KINERJA_SMTP_SENDER": os.environ.get("KINERJA_SMTP_SENDER", "kinerja@localhost")})
    if "KINERJA_SMTP_HOST" not in os.environ and not answers(smtp_port):
        sections.append(program("mailpit", f"{REPO}/deploy/local/mailpit.sh run", priority=10, logs=logs))
    # The dashboard (port 8000) calls the APIs from the browser: they allow its origin.
    dashboard_port = os.environ.get("KINERJA_DASHBOARD_PORT", "8000")
    cors = os.environ.get("KINERJA_CORS_ORIGINS",
                          f"http://127.0.0.1:{dashboard_port},http://localhost:{dashboard_port}")
    api_urls = []
    for spec in (service.spec for service in SERVICES.values()):
        api_port = os.environ.get(f"KINERJA_{spec.name.upper()}_PORT", str(spec.api_port))
        api_urls.append(f"{spec.name}=http://127.0.0.1:{api_port}")
        prometheus = state / "prometheus" / spec.name
        shutil.rmtree(prometheus, ignore_errors=True)  # multiprocess metrics of a previous run
        prometheus.mkdir(parents=True)
        sections.append(program(
            f"{spec.name}-api", f"{python.parent / 'gunicorn'} -c deploy/gunicorn.conf.py '{api_app(spec.name)}'",
            priority=20, logs=logs, environment={**infrastructure, "KINERJA_BIND": f"127.0.0.1:{api_port}",
                                                 "PROMETHEUS_MULTIPROC_DIR": str(prometheus),
                                                 "KINERJA_CORS_ORIGINS": cors}))
        worker_port = os.environ.get(f"KINERJA_{spec.name.upper()}_WORKER_PORT", str(spec.worker_port))
        sections.append(program(
            f"{spec.name}-worker", f"{python} {' '.join(worker_args(spec.name))}", priority=30, logs=logs,
            environment={**infrastructure, "KINERJA_WORKER_BIND": f"127.0.0.1:{worker_port}"}))
    sections.append(program(
        "dashboard", f"{python.parent / 'gunicorn'} -b 127.0.0.1:{dashboard_port} -w 1 --threads 4 dashboard.server:app",
        priority=40, logs=logs, environment={"KINERJA_DASHBOARD_APIS": ",".join(api_urls)}))
    path = run / "supervisord.conf"
    path.write_text("\n".join(sections))
    return path


if __name__ == "__main__":
    print(write(Path(sys.argv[1])))
