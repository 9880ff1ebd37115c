"""The worker process every service runs beside its API: the outbox relay, the Kafka consumer and
maintenance tasks, each in a thread, plus /healthz and /metrics for supervisors and Prometheus.

Kafka consumers never run inside gunicorn workers; this process owns them. The threads stop together
on SIGTERM/SIGINT, finishing the message in hand. If one of them dies (a bug, a dead-letter storm),
the process stops the others and exits non-zero with the reason in its log, so that its supervisor
restarts it instead of leaving a worker that looks alive and does nothing.
"""
from __future__ import annotations

import faulthandler
import json
import logging
import signal
import sys
import threading
import time
from typing import Callable
from wsgiref.simple_server import WSGIRequestHandler, make_server

from shared.audit import AuditRecord, move_pending_audit
from shared.db import collection, database, prepare
from shared.events.consumer import ConsumerRunner, StallWatchdog, kafka_dead_letter
from shared.events.kafka import (dead_letter_topic, ensure_topics, kafka_reachable, make_producer,
                                 recent_event_ids)
from shared.events.processing import DeadLetterGuard, MessageProcessor
from shared.logging import configure_logging
from shared.metrics import render_metrics
from shared.service import Service
from shared.settings import Settings
from shared.store.lease import Lease, LeaseDocument
from shared.store.relay import OutboxRelay, RelayPolicy

log = logging.getLogger(__name__)


def events_topic(settings: Settings) -> str:
    return settings.topic(f"{settings.service}.events")


def _retrying(what: str, attempt: Callable[[], object], stop: threading.Event):
    """Kafka may still be starting (or down): keep trying until it answers or the worker stops."""
    while not stop.is_set():
        try:
            return attempt()
        except Exception as err:  # noqa: BLE001
            log.warning(f"{what} failed; retrying", extra={"error": str(err)})
            stop.wait(2.0)
    return None


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:  # health probes every few seconds would flood the log
        pass


Check = Callable[[], tuple[bool, str]]


class Health:
    """The worker's own HTTP endpoints: /healthz (200 while every thread lives: restart it otherwise),
    /readyz (200 when MongoDB and Kafka answer and its consumer was given its partitions: doing its work)
    and /metrics."""

    def __init__(self, threads: list[threading.Thread], checks: dict[str, Check] | None = None):
        self.threads = threads
        self.checks = checks if checks is not None else {}

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            payload, content_type = render_metrics()
            start_response("200 OK", [("Content-Type", content_type)])
            return [payload]
        if path == "/healthz":
            threads = {t.name: t.is_alive() for t in self.threads}
            ok = all(threads.values())
            start_response("200 OK" if ok else "503 Service Unavailable", [("Content-Type", "application/json")])
            return [json.dumps({"status": "ok" if ok else "failing", "threads": threads}).encode()]
        if path == "/readyz":
            results = {name: _checked(check) for name, check in self.checks.items()}
            ready = bool(results) and all(ok for ok, _ in results.values())
            start_response("200 OK" if ready else "503 Service Unavailable", [("Content-Type", "application/json")])
            return [json.dumps({"status": "ready" if ready else "not ready",
                                "checks": {name: detail for name, (_, detail) in results.items()}}).encode()]
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"detail": "not found"}']


def _checked(check: Check) -> tuple[bool, str]:
    try:
        return check()
    except Exception as err:  # noqa: BLE001 - any failure means "not ready"
        return False, type(err).__name__


def _mongo_check(db) -> Check:
    return lambda: (db.command("ping").get("ok") == 1, "ok")


def _kafka_check(settings: Settings) -> Check:
    return lambda: kafka_reachable(settings.kafka_servers)


def _partitions_check(watchdog: StallWatchdog) -> Check:
    def check():
        runner = watchdog.runner
        if runner is None or not runner.rebalanced:
            return False, "waiting for the group's assignment"
        return True, f"{len(runner.consumer.assignment()) if runner.consumer else 0} partitions"
    return check


def _serve_health(bind: str, health: Health) -> threading.Thread:
    host, _, port = bind.rpartition(":")
    server = make_server(host, int(port), health, handler_class=_Quiet)
    log.info("worker health endpoint", extra={"url": f"http://{host}:{server.server_port}/healthz"})
    thread = threading.Thread(target=server.serve_forever, name="health", daemon=True)
    thread.start()
    return thread


def _run_periodically(tasks: list[Callable[[], object]], stop: threading.Event, every_s: float) -> None:
    while not stop.wait(every_s):
        for task in tasks:
            try:
                task()
            except Exception:  # noqa: BLE001 - a maintenance task must not stop the worker
                log.exception("maintenance task failed", extra={"task": task.__name__})


def _guarded(target: Callable[..., None], failures: list[str]) -> Callable[..., None]:
    """Run a thread's loop; if it ends by an exception, remember why (the worker then exits non-zero)."""
    def run(*args, **kwargs):
        try:
            target(*args, **kwargs)
        except BaseException as err:  # noqa: BLE001
            log.exception("worker thread died", extra={"thread": threading.current_thread().name})
            failures.append(f"{threading.current_thread().name}: {type(err).__name__}: {err}")
    return run


def run_worker(service: Service, settings: Settings) -> None:
    """Run the service's relay, consumer and maintenance tasks (every 10 s) until SIGTERM/SIGINT;
    exit(1) if a thread dies."""
    configure_logging(settings.service, settings.log_level)
    db = prepare(database(settings), service.documents)
    repository = service.repository(db, settings)
    service.startup(repository)
    registry = service.handlers(repository)
    stop = threading.Event()

    def request_stop(signum, _frame):
        log.info("stopping worker", extra={"signal": signum})
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    # `kill -USR1 <pid>` dumps every thread's stack to stderr: the first question about a stuck worker.
    faulthandler.register(signal.SIGUSR1, all_threads=True)

    outbox_documents = list(service.outbox_documents)
    consumed_topics = sorted(settings.topic(t) for t in registry.topics())
    own_topics = [events_topic(settings)] if outbox_documents else []
    dlt = dead_letter_topic(settings)
    threads: list[threading.Thread] = []
    failures: list[str] = []
    not_yet: Check = lambda: (False, "starting")  # noqa: E731 - until the topics, producer and consumer exist
    checks: dict[str, Check] = {"mongo": _mongo_check(db), "kafka": not_yet}
    if registry.topics():
        checks["partitions"] = not_yet
    _serve_health(settings.worker_bind, Health(threads, checks))
    _retrying("creating topics", lambda: ensure_topics(settings, own_topics + consumed_topics +
                                                       ([dlt] if consumed_topics else [])), stop)
    producer = _retrying("creating the Kafka producer", lambda: make_producer(settings), stop)
    if producer is None:
        return
    checks["kafka"] = _kafka_check(settings)

    if outbox_documents:
        policy = RelayPolicy(max_attempts=settings.relay_max_attempts, backoff_s=settings.relay_backoff_ms / 1000,
                             max_backoff_s=settings.relay_max_backoff_ms / 1000)
        audit = collection(db, AuditRecord)
        # One relay of all the service's replicas publishes at a time (each event once): its lease.
        lease = Lease(collection(db, LeaseDocument), "outbox-relay", ttl_s=settings.relay_lease_s)
        topic = events_topic(settings)
        relay = OutboxRelay([collection(db, d) for d in outbox_documents], producer, topic,
                            batch_size=settings.relay_batch_size, policy=policy, lease=lease,
                            before_publish=lambda docs: move_pending_audit(audit, docs),
                            published_recently=lambda n: recent_event_ids(settings, topic, n))
        threads.append(threading.Thread(target=_guarded(relay.run, failures), name="outbox-relay", daemon=True,
                                        kwargs={"should_stop": stop.is_set, "idle_s": settings.relay_idle_ms / 1000}))
    if consumed_topics:
        guard = DeadLetterGuard(max_share=settings.consumer_dlt_max_share, window=settings.consumer_dlt_window,
                                min_messages=min(20, settings.consumer_dlt_window))
        processor = MessageProcessor(registry, kafka_dead_letter(producer, dlt, settings.service),
                                     max_retries=settings.consumer_max_retries,
                                     backoff_s=settings.consumer_backoff_ms / 1000,
                                     max_backoff_s=settings.consumer_max_backoff_ms / 1000, guard=guard)
        watchdog = StallWatchdog(lambda: ConsumerRunner(bootstrap_servers=settings.kafka_servers,
                                                        client_options=settings.kafka_client_options(),
                                                        instance_id=settings.instance_id,
                                                        group_id=settings.consumer_group(), topics=consumed_topics,
                                                        processor=processor))
        threads.append(threading.Thread(target=_guarded(watchdog.run, failures), name="consumer", daemon=True,
                                        kwargs={"should_stop": stop.is_set}))
        checks["partitions"] = _partitions_check(watchdog)
    maintenance = list(service.maintenance(repository))
    if maintenance:
        threads.append(threading.Thread(target=_guarded(_run_periodically, failures), name="maintenance",
                                        daemon=True, args=(maintenance, stop, 10.0)))
    for thread in threads:
        thread.start()
    log.info("worker started", extra={"relay": bool(outbox_documents), "consumes": consumed_topics})
    while not stop.is_set() and all(t.is_alive() for t in threads):
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    producer.close(timeout=10)
    if failures:
        log.error("worker stopped because a thread died", extra={"failures": failures})
        sys.exit(1)
    log.info("worker stopped")
