"""The Kubernetes manifests (deploy/kubernetes), checked offline: each overlay built by kustomize, every object
against the schemas of a pinned Kubernetes version (kubernetes-validate, strict: an unknown field fails), and
against the service declarations — the same processes, commands, ports and variables as the code and the compose
file, probes on the health endpoints, workers no more than their partitions and named for static membership,
nothing running as root or writing its root file system. Strimzi's KafkaTopic is not a built-in kind: its
partitions, replicas and configs are compared with what the workers create."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from deploy.kubernetes import generate
from shared.settings import _EnvSchema, load_settings
from services.registry import SERVICES, api_app, worker_args

REPO = Path(__file__).resolve().parents[2]
KUBERNETES_VERSION = "1.31.0"
OVERLAYS = ("dev", "prod")
KNOWN_VARIABLES = {field.data_key for field in _EnvSchema().fields.values()} | {"KINERJA_BIND", "PROMETHEUS_MULTIPROC_DIR"}


def kustomize() -> str:
    path = subprocess.run([str(REPO / "deploy" / "local" / "tools.sh"), "path", "kustomize"], capture_output=True,
                          text=True, check=True).stdout.strip()
    assert Path(path).exists(), "kustomize is not provisioned: run `make tools` (make test does)"
    return path


@pytest.fixture(scope="module", params=OVERLAYS)
def built(request) -> tuple[str, list[dict]]:
    done = subprocess.run([kustomize(), "build", str(REPO / "deploy" / "kubernetes" / "overlays" / request.param)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return request.param, [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def by_kind(objects: list[dict], kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def workloads(objects: list[dict]) -> dict[str, dict]:
    """Deployments (APIs, dashboard) and StatefulSets (workers), by name."""
    return {**by_kind(objects, "Deployment"), **by_kind(objects, "StatefulSet")}


def container(deployment: dict) -> dict:
    [only] = deployment["spec"]["template"]["spec"]["containers"]
    return only


def test_the_generated_manifests_are_up_to_date():
    for path, make in generate.GENERATED.items():
        assert path.read_text() == generate.rendered(make()), f"{path} is stale: run `make manifests`"


def test_every_object_is_valid_for_the_pinned_kubernetes_version(built):
    import kubernetes_validate

    overlay, objects = built
    checked = 0
    for obj in objects:
        if obj["apiVersion"].startswith("kafka.strimzi.io/"):
            continue
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        checked += 1
    assert checked >= 20, overlay
    broken = {**workloads(objects)["agencies-api"]}
    broken["spec"] = {**broken["spec"], "replica": 2}  # a typo
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_the_manifests_run_exactly_the_declared_processes_on_their_ports(built):
    overlay, objects = built
    deployments = workloads(objects)
    services = by_kind(objects, "Service")
    assert set(by_kind(objects, "Deployment")) == {f"{name}-api" for name in SERVICES} | {"dashboard"}, overlay
    # Workers are StatefulSets: stable pod names, so static membership means what it says across rollouts.
    assert set(by_kind(objects, "StatefulSet")) == {f"{name}-worker" for name in SERVICES}, overlay
    for name, service in SERVICES.items():
        api, worker = container(deployments[f"{name}-api"]), container(deployments[f"{name}-worker"])
        assert api["command"] == ["gunicorn", "-c", "deploy/gunicorn.conf.py", api_app(name)]
        assert worker["command"] == ["python", *worker_args(name)]
        assert api["ports"] == [{"name": "http", "containerPort": service.spec.api_port}]
        assert worker["ports"] == [{"name": "health", "containerPort": service.spec.worker_port}]
        env = {e["name"]: e for e in api["env"]}
        assert env["KINERJA_BIND"]["value"] == f"0.0.0.0:{service.spec.api_port}"
        assert env["KINERJA_MONGO_URI"]["valueFrom"]["secretKeyRef"]["name"] == f"kinerja-{name}-mongo"
        worker_env = {e["name"]: e for e in worker["env"]}
        assert worker_env["KINERJA_WORKER_BIND"]["value"] == f"0.0.0.0:{service.spec.worker_port}"
        assert worker_env["KINERJA_INSTANCE_ID"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"
        assert services[f"{name}-api"]["spec"]["ports"][0]["port"] == service.spec.api_port
        governing = services[deployments[f"{name}-worker"]["spec"]["serviceName"]]
        assert governing["spec"]["clusterIP"] == "None" and governing["spec"]["ports"][0]["port"] == \
            service.spec.worker_port
        assert (api["readinessProbe"]["httpGet"]["path"], api["livenessProbe"]["httpGet"]["path"]) == (
            "/readyz", "/healthz")
        assert (worker["readinessProbe"]["httpGet"]["path"], worker["livenessProbe"]["httpGet"]["path"]) == (
            "/readyz", "/healthz")
        assert "startupProbe" in api and "startupProbe" in worker


def test_every_variable_is_one_the_settings_read(built):
    _, objects = built
    config = by_kind(objects, "ConfigMap")
    [kinerja_config] = [c for name, c in config.items() if name.startswith("kinerja-config")]
    assert set(kinerja_config["data"]) <= KNOWN_VARIABLES, set(kinerja_config["data"]) - KNOWN_VARIABLES
    for name, deployment in workloads(objects).items():
        if name == "dashboard":
            continue
        names = {e["name"] for e in container(deployment)["env"]}
        assert names <= KNOWN_VARIABLES, (name, names - KNOWN_VARIABLES)
        refs = container(deployment)["envFrom"]
        assert [r["configMapRef"]["name"] for r in refs] == [kinerja_config["metadata"]["name"]]
    # What the ConfigMap gives, the settings accept (a bad value would stop every pod at start-up).
    # (The files are the pods' own mounts; stand-ins here.)
    given = {k: v for k, v in kinerja_config["data"].items() if not k.endswith("_FILE")}
    if "KINERJA_KAFKA_SASL_PASSWORD_FILE" in kinerja_config["data"]:
        given["KINERJA_KAFKA_SASL_PASSWORD"] = "stand-in"
    load_settings(SERVICES["agencies"].spec, {**given, "KINERJA_JWT_SECRET": "x" * 32})


def test_workers_scale_within_their_partitions_and_apis_autoscale_with_a_budget(built):
    overlay, objects = built
    config = next(c for name, c in by_kind(objects, "ConfigMap").items() if name.startswith("kinerja-config"))
    partitions = int(config["data"]["KINERJA_TOPIC_PARTITIONS"])
    autoscalers, budgets = by_kind(objects, "HorizontalPodAutoscaler"), by_kind(objects, "PodDisruptionBudget")
    for name in SERVICES:
        worker = workloads(objects)[f"{name}-worker"]
        assert 1 <= worker["spec"]["replicas"] <= partitions
        # The autoscaler owns an API's replica count (outside dev, where the overlay pins one).
        assert overlay == "dev" or "replicas" not in workloads(objects)[f"{name}-api"]["spec"]
        assert autoscalers[f"{name}-api"]["spec"]["scaleTargetRef"]["name"] == f"{name}-api"
        assert budgets[f"{name}-api"]["spec"]["maxUnavailable"] == 1 and f"{name}-worker" in budgets
        # A pod gets more time to stop than gunicorn's graceful timeout (20 s) and the worker's joins (30 s).
        for kind in ("api", "worker"):
            grace = workloads(objects)[f"{name}-{kind}"]["spec"]["template"]["spec"]
            assert grace["terminationGracePeriodSeconds"] > (20 if kind == "api" else 30)


def test_nothing_runs_as_root_writes_its_root_file_system_or_runs_without_limits(built):
    _, objects = built
    for name, deployment in workloads(objects).items():
        pod = deployment["spec"]["template"]["spec"]
        only = container(deployment)
        assert pod["securityContext"]["runAsNonRoot"] and only["securityContext"]["runAsNonRoot"], name
        assert only["securityContext"]["readOnlyRootFilesystem"] and not only["securityContext"][
            "allowPrivilegeEscalation"], name
        assert only["securityContext"]["capabilities"]["drop"] == ["ALL"], name
        assert {"requests", "limits"} <= set(only["resources"]), name
        assert any(m["mountPath"] == "/tmp" for m in only["volumeMounts"]), name  # the one writable place


def test_prod_verifies_tokens_with_a_public_key_and_reaches_a_secured_kafka(built):
    overlay, objects = built
    if overlay != "prod":
        pytest.skip("prod only")
    config = next(c for name, c in by_kind(objects, "ConfigMap").items() if name.startswith("kinerja-config"))
    assert config["data"]["KINERJA_KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
    for name, deployment in workloads(objects).items():
        if name == "dashboard":
            continue
        env = {e["name"]: e.get("value") for e in container(deployment)["env"]}
        assert "KINERJA_JWT_SECRET_FILE" not in env and env["KINERJA_JWT_PUBLIC_KEY_FILE"].endswith("public.pem")
        mounts = {m["mountPath"] for m in container(deployment)["volumeMounts"]}
        assert Path(config["data"]["KINERJA_KAFKA_SSL_CAFILE"]).parent.as_posix() in mounts


def test_the_strimzi_topics_are_the_ones_the_workers_would_create(built):
    overlay, objects = built
    topics = by_kind(objects, "KafkaTopic")
    if overlay != "prod":
        assert topics == {}
        return
    settings = load_settings(SERVICES["indicators"].spec, generate.PROD_TOPICS)
    produced = {settings.topic(f"{n}.events") for n, s in SERVICES.items() if s.spec.produces}
    dead_letters = {settings.topic(f"{n}.dlt") for n, s in SERVICES.items() if s.spec.consumes}
    assert set(topics) == produced | dead_letters
    for name, topic in topics.items():
        partitions, replicas, configs = settings.topic_settings(name)
        assert (topic["spec"]["partitions"], topic["spec"]["replicas"], topic["spec"]["config"]) == (
            partitions, replicas, configs)
    assert topics["kinerja.agencies.events"]["spec"]["config"]["cleanup.policy"] == "compact"
