"""Prometheus metrics shared by every process.

Under gunicorn with several workers, set PROMETHEUS_MULTIPROC_DIR (the run scripts do) so that
/metrics aggregates all worker processes instead of answering for whichever one got the scrape.
"""
from __future__ import annotations

import os

# The directory may be a fresh empty volume (a Kubernetes emptyDir or a tmpfs over /tmp): create it before the
# client library looks for it, or every process would fail on start.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

from prometheus_client import (CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram,  # noqa: E402
                               generate_latest)
from prometheus_client import multiprocess  # noqa: E402

HTTP_REQUESTS = Counter("kinerja_http_requests_total", "HTTP requests handled",
                        ["service", "method", "endpoint", "status"])
HTTP_LATENCY = Histogram("kinerja_http_request_seconds", "HTTP request latency", ["service", "method", "endpoint"],
                         buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5))
EVENTS_CONSUMED = Counter("kinerja_events_consumed_total", "Kafka messages consumed, by outcome", ["outcome"])
CONSUMER_ASSIGNED = Gauge("kinerja_consumer_assigned_partitions",
                          "Partitions this worker's consumer owns now (0 while it joins or rebalances)",
                          multiprocess_mode="livemax")
CONSUMER_REPLACEMENTS = Counter("kinerja_consumer_replacements_total",
                                "Stalled consumers abandoned and replaced by the watchdog")
EVENTS_RELAYED = Counter("kinerja_events_relayed_total", "Outbox events acknowledged by Kafka")
RELAY_SEND_ERRORS = Counter("kinerja_outbox_send_errors_total", "Outbox events the broker did not acknowledge")
EVENTS_FAILED = Counter("kinerja_outbox_events_failed_total",
                        "Outbox events marked failed after their last attempt (they wait for a retry)")
OUTBOX_FAILED = Gauge("kinerja_outbox_failed_events", "Outbox events currently marked failed",
                      multiprocess_mode="max")
RELAY_ACTIVE = Gauge("kinerja_outbox_relay_active", "1 while this worker holds the relay's lease and publishes",
                     multiprocess_mode="max")


def render_metrics() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
