# Kinerja: `make run` runs the whole system, `make test` runs every test against real Kafka and MongoDB.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCAL := deploy/local

.PHONY: help venv dashboard infra tools manifests run start stop status logs token test test-unit bench catalogue compose-check lock clean

help:
	@echo "make run     provision Kafka + MongoDB + Mailpit, run them and the three APIs and workers under supervisord (Ctrl-C stops all)"
	@echo "make test    provision what the tests need and run storage, unit, contract, integration, e2e and reliability tests"
	@echo "make bench   measure every performance budget against the raw limit (needs wrk)"
	@echo "make status  every process and its state     make logs   follow the logs     make stop   stop everything"
	@echo "make token ROLE=operator AGENCY=<id>   a development bearer token for the local stack"

venv: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11+ is required (apt-get install python3 python3-venv)"; exit 1; }
	@echo "[venv] creating .venv with the pinned, hashed dependencies of requirements-dev.lock (about a minute the first time)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --require-hashes -r requirements-dev.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

# The dashboard's libraries (Chart.js; axe-core for the browser tests' accessibility checks), pinned by
# dashboard/package-lock.json, served by our own server.
dashboard: dashboard/node_modules/.package-lock.json

dashboard/node_modules/.package-lock.json: dashboard/package-lock.json
	@command -v npm >/dev/null || { echo "npm is required for the dashboard (apt-get install npm)"; exit 1; }
	cd dashboard && npm ci --silent --no-audit --no-fund

infra:
	$(LOCAL)/kafka.sh start
	$(LOCAL)/mongo.sh start
	$(LOCAL)/mailpit.sh start

run: venv dashboard
	@$(LOCAL)/services.sh run

start: venv dashboard
	@$(LOCAL)/services.sh start

stop:
	-@$(LOCAL)/services.sh stop
	-@$(LOCAL)/kafka.sh stop
	-@$(LOCAL)/mongo.sh stop
	-@$(LOCAL)/mailpit.sh stop

logs: venv
	@$(LOCAL)/services.sh logs

# A development token for the local stack: make token ROLE=operator AGENCY=<agency id> [SUB=name]
token: venv
	@$(LOCAL)/services.sh token "$(ROLE)" "$(AGENCY)" "$(SUB)"

status: venv
	-@$(LOCAL)/services.sh status
	-@$(LOCAL)/kafka.sh status
	-@$(LOCAL)/mongo.sh status
	-@$(LOCAL)/mailpit.sh status

# Every run uses its own namespace (database names, topics, consumer groups), so runs never see
# each other's data, and a `make run` on the same machine is left alone.
test: venv dashboard infra tools compose-check
	KINERJA_TEST_NAMESPACE=t$$(date +%s)_$$$$_ $(BIN)/pytest tests

# Every performance budget against the raw limit measured in the same run (needs wrk: apt-get install wrk).
bench: venv infra
	$(BIN)/python -m tests.bench

# The README's event catalogue, generated from the contracts (a test fails when it is stale).
catalogue: venv
	$(BIN)/python -c "import pathlib, shared.catalogue as c, services.registry as s; p = pathlib.Path('README.md'); p.write_text(c.with_catalogue(p.read_text(), s.SERVICES.values()))"

test-unit: venv
	$(BIN)/pytest tests/unit tests/contract

# docker compose cannot run here (no engine); `docker-compose config` still validates the file offline.
# kustomize, for the Kubernetes manifests' tests, and Mailpit, the local mail catcher (each built once per machine
# from the Go module proxy; `make infra` and `make run` provision Mailpit themselves).
tools:
	@$(LOCAL)/tools.sh provision

# deploy/kubernetes/base/services.yaml and the Strimzi topics, from the service declarations.
manifests: venv
	$(BIN)/python -m deploy.kubernetes.generate

compose-check:
	@if command -v docker-compose >/dev/null; then \
	  docker-compose -f docker-compose.yml config -q && echo "docker-compose.yml is valid"; \
	else echo "docker-compose not installed: skipping 'docker-compose config' (tests still check the file's structure)"; fi

# The locks, with hashes, from pyproject.toml: requirements.lock (run time: the image) and requirements-dev.lock
# (everything `make` installs). Pins already in a lock are kept; `make lock UPGRADE=1` takes newer versions.
PIP_COMPILE = $(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --no-emit-find-links $(if $(UPGRADE),--upgrade,)
lock: venv
	$(PIP_COMPILE) -o requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra testing --extra dev -o requirements-dev.lock pyproject.toml

clean: stop
	rm -rf .local $(VENV)
