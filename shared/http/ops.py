"""Operational endpoints, open without a token: liveness, readiness, Prometheus metrics, and the AsyncAPI
document of the events (like the OpenAPI document, public)."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from shared.http.context import database
from shared.metrics import render_metrics

ops = Blueprint("ops", __name__)


def mongo_reachable() -> tuple[bool, str]:
    try:
        database().command("ping")
        return True, "ok"
    except Exception as err:  # noqa: BLE001 - any failure means "not ready"
        return False, type(err).__name__


@ops.get("/healthz")
def healthz():
    """The process is alive."""
    return jsonify(status="ok")


@ops.get("/readyz")
def readyz():
    """Ready to serve: MongoDB is reachable. Kafka is not asked: an API never talks to it (the outbox is how it
    publishes), so a Kafka outage must not take the APIs out of service."""
    mongo_ok, mongo_detail = mongo_reachable()
    body = {"status": "ready" if mongo_ok else "not ready", "checks": {"mongo": mongo_detail}}
    return jsonify(body), 200 if mongo_ok else 503


@ops.get("/metrics")
def metrics():
    """Prometheus text exposition."""
    payload, content_type = render_metrics()
    return Response(payload, mimetype=content_type.split(";")[0], content_type=content_type)


@ops.get("/api/v1/asyncapi.json")
def asyncapi():
    """The AsyncAPI 3.0 document of every event type, with the topic names of this deployment."""
    from shared.asyncapi import deployed_document  # builds every service's handler registry: only when asked

    settings = current_app.config["KINERJA_SETTINGS"]
    return jsonify(deployed_document(current_app.config["KINERJA_SERVICES"], settings.namespace,
                                     tuple(settings.kafka_servers)))
