"""docker-compose.yml, checked offline (no Docker engine runs here): it must name processes that
exist in the code, configure them through variables the settings know, and start them in order."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from shared.settings import _EnvSchema
from services.registry import SERVICES as DECLARED, api_app, worker_args

REPO = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
ONE_OFFS = {"dashboard", "demo"}  # the dashboard's server and the demo loader share the image
APPS = {name: spec for name, spec in SERVICES.items() if spec.get("image") == "kinerja:latest" and name not in ONE_OFFS}
KNOWN_VARIABLES = {field.data_key for field in _EnvSchema().fields.values()} | {"KINERJA_BIND", "PROMETHEUS_MULTIPROC_DIR"}
SPECS = {name: service.spec for name, service in DECLARED.items()}


def test_every_declared_service_has_its_api_worker_and_database_and_nothing_else_runs():
    expected = {f"{name}-{kind}" for name in SPECS for kind in ("api", "worker")}
    assert set(APPS) == expected
    assert {f"mongo-{name}" for name in SPECS} | {"kafka"} | expected | ONE_OFFS == set(SERVICES)


@pytest.mark.parametrize("name", sorted(APPS))
def test_app_commands_start_the_declared_service(name):
    service, kind = name.rsplit("-", 1)
    expected = ["gunicorn", "-c", "deploy/gunicorn.conf.py", api_app(service)] if kind == "api" \
        else ["python", *worker_args(service)]
    assert APPS[name]["command"] == expected


@pytest.mark.parametrize("name", sorted(APPS))
def test_app_configuration_uses_known_variables_and_its_own_database(name):
    environment = APPS[name]["environment"]
    assert set(environment) <= KNOWN_VARIABLES, set(environment) - KNOWN_VARIABLES
    service = name.split("-")[0]
    assert environment["KINERJA_MONGO_URI"] == f"mongodb://mongo-{service}:27017"


def test_dependencies_wait_for_health():
    for name, spec in SERVICES.items():
        for dependency, condition in (spec.get("depends_on") or {}).items():
            assert dependency in SERVICES
            assert condition == {"condition": "service_healthy"}, name
            assert "healthcheck" in SERVICES[dependency], f"{dependency} has no healthcheck"


def test_kafka_keeps_its_data_on_its_volume():
    kafka = SERVICES["kafka"]
    volume = next(v for v in kafka["volumes"] if v.startswith("kafka-data:"))
    assert kafka["environment"]["KAFKA_LOG_DIRS"] == volume.split(":")[1]  # the image's default is /tmp


def test_every_long_running_process_restarts_rotates_its_logs_and_stops_gracefully():
    for name, spec in SERVICES.items():
        if name == "demo":
            assert spec["restart"] == "no" and spec["profiles"] == ["demo"]  # once, and only when asked
            continue
        assert spec["restart"] == "unless-stopped", name
        assert spec["logging"]["options"]["max-size"], name
        grace = int(spec["stop_grace_period"].rstrip("s"))
        # gunicorn's graceful timeout is 20 s, a worker joins its threads within 30 s
        assert grace > (30 if name in APPS or name == "dashboard" else 10), name
    for name in APPS:
        assert SERVICES[name]["tmpfs"] == [SERVICES[name]["environment"].get("PROMETHEUS_MULTIPROC_DIR",
                                                                            "/tmp/prometheus")]


def test_the_token_key_is_a_secret_file_and_the_dashboard_origin_is_allowed():
    assert COMPOSE["secrets"]["jwt_secret"]["file"]
    for name in APPS:
        environment = SERVICES[name]["environment"]
        assert environment["KINERJA_JWT_SECRET_FILE"] == "/run/secrets/jwt_secret"
        assert "jwt_secret" in SERVICES[name]["secrets"]
        assert "KINERJA_JWT_SECRET" not in environment  # never a secret in the environment
    dashboard_port = SERVICES["dashboard"]["ports"][0].rsplit(":", 1)[1]
    assert f"http://localhost:{dashboard_port}" in SERVICES["agencies-api"]["environment"]["KINERJA_CORS_ORIGINS"]


def test_the_apis_do_not_wait_for_kafka_but_the_workers_do():
    for name in SPECS:
        assert "kafka" not in SERVICES[f"{name}-api"]["depends_on"]
        assert "kafka" in SERVICES[f"{name}-worker"]["depends_on"]


def test_published_ports_bind_to_loopback_and_match_the_specs():
    published = {name: spec["ports"] for name, spec in SERVICES.items() if "ports" in spec}
    for name, spec in SPECS.items():
        assert published[f"{name}-api"] == [f"127.0.0.1:{spec.api_port}:{spec.api_port}"]
        assert SERVICES[f"{name}-api"]["environment"]["KINERJA_BIND"] == f"0.0.0.0:{spec.api_port}"
        assert SERVICES[f"{name}-worker"]["environment"]["KINERJA_WORKER_BIND"] == f"0.0.0.0:{spec.worker_port}"
    for ports in published.values():
        assert all(re.match(r"^127\.0\.0\.1:", p) for p in ports)


def test_every_app_process_has_a_healthcheck_on_its_own_health_endpoint():
    for name in SPECS:
        assert "readyz" in " ".join(SERVICES[f"{name}-api"]["healthcheck"]["test"])
        worker_check = " ".join(SERVICES[f"{name}-worker"]["healthcheck"]["test"])
        assert "healthz" in worker_check and "KINERJA_WORKER_BIND" in worker_check


def test_the_dockerfile_builds_the_dashboard_in_a_node_stage_and_installs_the_runtime_lock_only():
    dockerfile = (REPO / "deploy" / "Dockerfile").read_text()
    for needed in ("COPY shared", "COPY services", "COPY kinerja", "COPY dashboard", "USER ", "FROM node:",
                   "npm ci", "--require-hashes -r requirements.lock", "COPY --from=dashboard"):
        assert needed in dockerfile, needed
    assert "requirements-dev.lock" not in dockerfile


def test_the_build_context_leaves_out_local_state():
    ignored = (REPO / ".dockerignore").read_text().split()
    for name in (".venv", "node_modules", ".local", ".git", "secrets", "bench/results"):
        assert any(line.strip("/").removeprefix("**/") == name for line in ignored), name


def test_the_env_example_names_every_variable_the_compose_file_reads():
    text = (REPO / "docker-compose.yml").read_text()
    used = set(re.findall(r"\$\{([A-Z_]+)", text))
    example = (REPO / ".env.example").read_text()
    assert {name for name in used if name not in example} == set()


def test_the_compose_file_follows_the_compose_specification():
    """Checked against the specification's own JSON schema (tests/deploy/schemas), not against whichever
    docker-compose binary is installed (Debian's 1.29 is end-of-life)."""
    import json

    import jsonschema_rs

    schema = json.loads((REPO / "tests" / "deploy" / "schemas" / "compose-spec.json").read_text())
    validator = jsonschema_rs.validator_for(schema)
    assert [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(COMPOSE)] == []
    broken = {**COMPOSE, "services": {**SERVICES, "kafka": {**SERVICES["kafka"], "restart": 5, "volumes": "x"}}}
    assert {e.message for e in validator.iter_errors(broken)} >= {'5 is not of type "string"',
                                                                  '"x" is not of type "array"'}  # it sees mistakes


def test_the_image_holds_every_file_the_dashboard_server_serves():
    """The server refuses to start without its libraries (dashboard.server.VENDOR), and serves the catalogues."""
    from dashboard.server import I18N, VENDOR

    dockerfile = (REPO / "deploy" / "Dockerfile").read_text()
    for folder, name in VENDOR.values():
        inside = (folder / name).relative_to(REPO / "dashboard")
        assert f"/dashboard/{inside} " in dockerfile, inside
    assert f"COPY dashboard/{I18N.name} ./dashboard/{I18N.name}" in dockerfile
