"""The worker process every service runs beside its API: the outbox relay and the Kafka consumer.

Kafka consumers never run inside gunicorn workers; this process owns them. Both loops run in
threads of one process and stop together on SIGTERM/SIGINT, finishing the message in hand.
"""
from __future__ import annotations

import faulthandler
import logging
import signal
import threading
import time
from typing import Callable, Iterable

from mongoengine import Document

from shared.audit import move_pending_audit
from shared.db import connect_mongo
from shared.events.consumer import ConsumerRunner, HandlerRegistry, MessageProcessor, kafka_dead_letter
from shared.events.kafka import dead_letter_topic, ensure_topics, make_producer
from shared.logging import configure_logging
from shared.outbox import OutboxRelay
from shared.settings import Settings

log = logging.getLogger(__name__)


def events_topic(settings: Settings) -> str:
    return settings.topic(f"{settings.service}.events")


def _wait_for_topics(settings: Settings, topics: list[str], stop: threading.Event) -> None:
    """Kafka may still be starting (or down): keep trying; the API serves meanwhile."""
    while not stop.is_set():
        try:
            ensure_topics(settings, topics)
            return
        except Exception as err:  # noqa: BLE001
            log.warning("Kafka not reachable yet; retrying", extra={"error": str(err)})
            stop.wait(2.0)


def _producer(settings: Settings, stop: threading.Event):
    while not stop.is_set():
        try:
            return make_producer(settings)
        except Exception as err:  # noqa: BLE001
            log.warning("cannot create Kafka producer; retrying", extra={"error": str(err)})
            stop.wait(2.0)
    return None


def _run_periodically(tasks: list[Callable[[], object]], should_stop: threading.Event, every_s: float) -> None:
    while not should_stop.wait(every_s):
        for task in tasks:
            try:
                task()
            except Exception:  # noqa: BLE001 - a maintenance task must not stop the worker
                log.exception("maintenance task failed", extra={"task": task.__name__})


def run_worker(settings: Settings, *, outbox_documents: Iterable[type[Document]], registry: HandlerRegistry,
               maintenance: Iterable[Callable[[], object]] = (), documents: Iterable[type[Document]] = ()) -> None:
    """`maintenance` tasks run every 10 s (e.g. finishing work a crashed request left half done)."""
    configure_logging(settings.service, settings.log_level)
    connect_mongo(settings, documents)
    stop = threading.Event()

    def request_stop(signum, _frame):
        log.info("stopping worker", extra={"signal": signum})
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    # `kill -USR1 <pid>` dumps every thread's stack to stderr: the first question about a stuck worker.
    faulthandler.register(signal.SIGUSR1, all_threads=True)

    outbox_documents = list(outbox_documents)
    consumed_topics = sorted(settings.topic(t) for t in registry.topics())
    own_topics = [events_topic(settings)] if outbox_documents else []
    dlt = dead_letter_topic(settings)
    _wait_for_topics(settings, own_topics + consumed_topics + ([dlt] if consumed_topics else []), stop)
    producer = _producer(settings, stop)
    if producer is None:
        return

    threads = []
    if outbox_documents:
        relay = OutboxRelay([d._get_collection() for d in outbox_documents], producer, events_topic(settings),
                            batch_size=settings.relay_batch_size, before_publish=move_pending_audit)
        threads.append(threading.Thread(target=relay.run, name="outbox-relay", daemon=True,
                                        kwargs={"should_stop": stop.is_set, "idle_s": settings.relay_idle_ms / 1000}))
    if consumed_topics:
        processor = MessageProcessor(registry, kafka_dead_letter(producer, dlt, settings.service),
                                     max_retries=settings.consumer_max_retries,
                                     backoff_s=settings.consumer_backoff_ms / 1000)
        runner = ConsumerRunner(bootstrap_servers=settings.kafka_servers, group_id=settings.consumer_group(),
                                topics=consumed_topics, processor=processor)
        threads.append(threading.Thread(target=runner.run, name="consumer", daemon=True,
                                        kwargs={"should_stop": stop.is_set}))
    maintenance = list(maintenance)
    if maintenance:
        threads.append(threading.Thread(target=_run_periodically, name="maintenance", daemon=True,
                                        args=(maintenance, stop, 10.0)))
    for thread in threads:
        thread.start()
    log.info("worker started", extra={"relay": bool(outbox_documents), "consumes": consumed_topics})
    while not stop.is_set() and all(t.is_alive() for t in threads):
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    producer.close(timeout=10)
    log.info("worker stopped")
