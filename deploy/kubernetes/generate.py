"""The Kubernetes objects of every declared service, written to deploy/kubernetes/base/services.yaml from the
service declarations (services/registry.py): an API Deployment with its Service, HorizontalPodAutoscaler and
PodDisruptionBudget, and a worker Deployment, each with the ports, commands and probes its declaration implies.
A test fails when the file is stale: `python -m deploy.kubernetes.generate` (or `make manifests`) rewrites it.

The rest of the base (config, dashboard) and the overlays are written by hand.
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

from shared.settings import load_settings
from services.registry import SERVICES, api_app, worker_args

HERE = Path(__file__).resolve().parent
OUT = HERE / "base" / "services.yaml"
TOPICS_OUT = HERE / "components" / "strimzi-topics" / "topics.yaml"
# The production cluster the prod overlay describes (its ConfigMap says the same).
PROD_TOPICS = {"KINERJA_TOPIC_REPLICATION": "3", "KINERJA_TOPIC_MIN_INSYNC": "2"}
IMAGE = "kinerja"
USER = 10001
JWT_DIR = "/var/run/secrets/kinerja/jwt"
# Workers: no more replicas than the partitions of their topics (12 by default), two for availability.
WORKER_REPLICAS = 2


def _labels(name: str, component: str) -> dict:
    return {"app.kubernetes.io/name": "kinerja", "app.kubernetes.io/component": component,
            "app.kubernetes.io/instance": name}


def security_context() -> dict:
    return {"runAsNonRoot": True, "runAsUser": USER, "readOnlyRootFilesystem": True,
            "allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}


def pod_security() -> dict:
    return {"runAsNonRoot": True, "runAsUser": USER, "runAsGroup": USER, "fsGroup": USER,
            "seccompProfile": {"type": "RuntimeDefault"}}


def _env(service: str, extra: list[dict]) -> list[dict]:
    return [{"name": "KINERJA_MONGO_URI", "valueFrom": {"secretKeyRef": {"name": f"kinerja-{service}-mongo",
                                                                         "key": "uri"}}},
            {"name": "KINERJA_JWT_SECRET_FILE", "value": f"{JWT_DIR}/secret"},
            *extra]


def _volumes() -> tuple[list[dict], list[dict]]:
    """A writable /tmp (the root file system is read-only; Prometheus' multiprocess files live there) and the
    token key from its Secret."""
    volumes = [{"name": "tmp", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
               {"name": "jwt", "secret": {"secretName": "kinerja-jwt", "defaultMode": 0o440}}]
    mounts = [{"name": "tmp", "mountPath": "/tmp"}, {"name": "jwt", "mountPath": JWT_DIR, "readOnly": True}]
    return volumes, mounts


def _probe(path: str, port: str, period: int, failures: int) -> dict:
    return {"httpGet": {"path": path, "port": port}, "periodSeconds": period, "timeoutSeconds": 3,
            "failureThreshold": failures}


def _workload(kind: str, name: str, component: str, container: dict, grace: int, **spec) -> dict:
    volumes, mounts = _volumes()
    labels = _labels(name, component)
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": name, "labels": labels},
            "spec": {**spec, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {
                         "terminationGracePeriodSeconds": grace, "securityContext": pod_security(),
                         "automountServiceAccountToken": False,
                         "containers": [{**container, "image": IMAGE, "imagePullPolicy": "IfNotPresent",
                                         "envFrom": [{"configMapRef": {"name": "kinerja-config"}}],
                                         "securityContext": security_context(), "volumeMounts": mounts}],
                         "volumes": volumes}}}}


def api_objects(service: str, port: int) -> list[dict]:
    name = f"{service}-api"
    container = {
        "name": "api", "command": ["gunicorn", "-c", "deploy/gunicorn.conf.py", api_app(service)],
        "ports": [{"name": "http", "containerPort": port}],
        "env": _env(service, [{"name": "KINERJA_BIND", "value": f"0.0.0.0:{port}"},
                              {"name": "PROMETHEUS_MULTIPROC_DIR", "value": "/tmp/prometheus"}]),
        # Start-up prepares the database (indexes) before the port opens: up to 5 minutes.
        "startupProbe": _probe("/healthz", "http", 5, 60), "livenessProbe": _probe("/healthz", "http", 10, 3),
        "readinessProbe": _probe("/readyz", "http", 5, 2),
        "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"cpu": "1", "memory": "512Mi"}}}
    labels = _labels(name, "api")
    return [
        # No replica count: the autoscaler owns it (one here would reset it on every apply).
        _workload("Deployment", name, "api", container, grace=40),
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "labels": labels},
         "spec": {"selector": labels, "ports": [{"name": "http", "port": port, "targetPort": "http"}]}},
        {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": name},
         "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                  "minReplicas": 2, "maxReplicas": 6, "metrics": [{"type": "Resource", "resource": {
                      "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}},
        # One pod at a time may be drained: never all of an API (and a single replica still can be).
        {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": name, "labels": labels},
         "spec": {"maxUnavailable": 1, "selector": {"matchLabels": labels}}},
    ]


def worker_objects(service: str, port: int) -> list[dict]:
    name = f"{service}-worker"
    container = {
        "name": "worker", "command": ["python", *worker_args(service)],
        "ports": [{"name": "health", "containerPort": port}],
        "env": _env(service, [
            {"name": "KINERJA_WORKER_BIND", "value": f"0.0.0.0:{port}"},
            # Static membership of the consumer group: a StatefulSet's pod keeps its name (<worker>-0, -1) across
            # restarts and rollouts, so it takes its own place back instead of making the group rebalance.
            {"name": "KINERJA_INSTANCE_ID", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]),
        "startupProbe": _probe("/healthz", "health", 5, 60), "livenessProbe": _probe("/healthz", "health", 10, 3),
        "readinessProbe": _probe("/readyz", "health", 10, 3),
        "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"cpu": "1", "memory": "512Mi"}}}
    labels = _labels(name, "worker")
    return [
        _workload("StatefulSet", name, "worker", container, grace=45, serviceName=name, replicas=WORKER_REPLICAS,
                  podManagementPolicy="Parallel"),
        # The StatefulSet's governing Service (headless): stable names, and the health port for scrapers.
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "labels": labels},
         "spec": {"clusterIP": "None", "selector": labels, "ports": [{"name": "health", "port": port,
                                                                     "targetPort": "health"}]}},
        {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": name, "labels": labels},
         "spec": {"maxUnavailable": 1, "selector": {"matchLabels": labels}}},
    ]


def objects() -> list[dict]:
    out = []
    for name, service in SERVICES.items():
        out += api_objects(name, service.spec.api_port)
        out += worker_objects(name, service.spec.worker_port)
    return out


def topic_objects() -> list[dict]:
    """Strimzi KafkaTopic resources of every topic the services produce or dead-letter to, with the partitions,
    replicas and configs the workers would create them with (Settings.topic_settings: one place)."""
    topics = []
    for name, service in SERVICES.items():
        settings = load_settings(service.spec, PROD_TOPICS)
        if service.spec.produces:
            topics.append(settings.topic(f"{name}.events"))
        if service.spec.consumes:
            topics.append(settings.topic(f"{name}.dlt"))
    out = []
    for topic in topics:
        partitions, replicas, configs = settings.topic_settings(topic)
        out.append({"apiVersion": "kafka.strimzi.io/v1beta2", "kind": "KafkaTopic",
                    "metadata": {"name": topic, "labels": {"strimzi.io/cluster": "kinerja"}},
                    "spec": {"topicName": topic, "partitions": partitions, "replicas": replicas,
                             "config": configs}})
    return out


class _Plain(yaml.SafeDumper):
    """Every object written out in full: no YAML anchors and aliases for the labels they share."""

    def ignore_aliases(self, data) -> bool:
        return True


HEADER = ("# Generated from the service declarations by deploy/kubernetes/generate.py (`make manifests`);\n"
          "# do not edit: a test fails when this file is stale.\n")


def rendered(documents: list[dict]) -> str:
    return HEADER + yaml.dump_all(documents, Dumper=_Plain, sort_keys=False, default_flow_style=False, width=120)


# Each generated file and what it holds.
GENERATED = {OUT: objects, TOPICS_OUT: topic_objects}


if __name__ == "__main__":
    for path, make in GENERATED.items():
        path.write_text(rendered(make()))
        print(f"wrote {path}", file=sys.stderr)
