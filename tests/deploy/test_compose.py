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
APPS = {name: spec for name, spec in SERVICES.items() if spec.get("image") == "kinerja:latest"}
KNOWN_VARIABLES = {field.data_key for field in _EnvSchema().fields.values()} | {"KINERJA_BIND", "PROMETHEUS_MULTIPROC_DIR"}
SPECS = {name: service.spec for name, service in DECLARED.items()}


def test_every_declared_service_has_its_api_worker_and_database_and_nothing_else_runs():
    expected = {f"{name}-{kind}" for name in SPECS for kind in ("api", "worker")}
    assert set(APPS) == expected
    assert {f"mongo-{name}" for name in SPECS} | {"kafka"} | expected == set(SERVICES)


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


def test_the_dockerfile_exists_and_copies_the_code():
    dockerfile = (REPO / "deploy" / "Dockerfile").read_text()
    for needed in ("COPY shared", "COPY services", "requirements.lock", "USER "):
        assert needed in dockerfile
