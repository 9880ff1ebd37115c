"""Event-pipeline rows: a backlog drained through outbox -> relay -> Kafka -> the indicators replica,
against raw kafka-python produce -> consume of the same envelopes; and write-to-visible latency at a
steady write rate."""
from __future__ import annotations

import os
import signal
import threading
import time
import uuid

import requests
from kafka import KafkaConsumer, KafkaProducer
from pymongo import MongoClient

from tests.bench.load import at_steady_rate, p50_p99_ms
from tests.bench.report import Row
from tests.conftest import auth_header
from tests.support.kafka_tools import BOOTSTRAP, read_topic
from kinerja.testing.stack import Stack

ADMIN = auth_header("admin")
MONGO = MongoClient("mongodb://127.0.0.1:27017", tz_aware=True)


def _agencies(stack: Stack):
    return MONGO[f"{stack.namespace}kinerja_agencies"].agencies


def _replica(stack: Stack, service: str = "indicators"):
    return MONGO[f"{stack.namespace}kinerja_{service}"].agency_replica


def agency_count(stack: Stack) -> int:
    return _agencies(stack).estimated_document_count()


def wait_drained(stack: Stack, timeout: float = 600) -> None:
    """Until every agency is in both replicas: earlier rows leave a backlog behind, and a worker still
    draining it would take CPU from the next row."""
    deadline = time.monotonic() + timeout
    for service in ("indicators", "reforms"):
        while _replica(stack, service).count_documents({}) < _agencies(stack).count_documents({}):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the {service} replica did not catch up")
            time.sleep(0.2)


def _import(stack: Stack, prefix: str, count: int) -> None:
    lines = ["code,name,type,parent_code", f"{prefix}.P,Provinsi {prefix},province,"]
    lines += [f"{prefix}.{i:05d},Dinas {i},work_unit,{prefix}.P" for i in range(count - 1)]
    response = requests.post(stack.url("agencies", "/api/v1/agencies/import"), data="\n".join(lines).encode(),
                             headers={**ADMIN, "Content-Type": "text/csv"}, timeout=900)
    response.raise_for_status()


def backlog_row(stack: Stack, events: int, *, with_reforms: bool) -> Row:
    """Stop the agencies worker, import `events` agencies (one event each), start it again and time
    the drain until the last one is in the indicators replica. Without `with_reforms`, the reforms
    worker is paused meanwhile: one relay feeding one consumer, the budget's "per worker"."""
    prefix = "P" + uuid.uuid4().hex[:6]
    relay, reforms = stack.processes["agencies-worker"].pid, stack.processes["reforms-worker"].pid
    os.killpg(relay, signal.SIGSTOP)
    if not with_reforms:
        os.killpg(reforms, signal.SIGSTOP)
    try:
        _import(stack, prefix, events)
        os.killpg(relay, signal.SIGCONT)
        started = time.monotonic()
        query = {"code": {"$regex": f"^{prefix}\\."}}
        while _replica(stack).count_documents(query) < events:
            if time.monotonic() - started > 900:
                raise RuntimeError("the backlog did not drain within 15 minutes")
            time.sleep(0.25)  # counting costs the database too: not more often
        ours = events / (time.monotonic() - started)
    finally:
        os.killpg(relay, signal.SIGCONT)
        os.killpg(reforms, signal.SIGCONT)
    ceiling = _raw_kafka_rate(stack, events)
    consumers = "indicators and reforms consuming at once" if with_reforms else "one consumer (reforms paused)"
    return Row(f"event pipeline, backlog of {events:,}: outbox → relay → Kafka → indicators replica, {consumers}",
               f"{ours:,.0f} events/s", f"{ceiling:,.0f} events/s", f"{ours / ceiling:.0%}",
               "≥ 1,000 events/s per worker", ours >= 1000 if not with_reforms else None)


def _raw_kafka_rate(stack: Stack, events: int) -> float:
    """The same envelopes produced (acks=all, idempotent) and consumed by a consumer group on a topic of
    their own: what the broker and kafka-python can do on this machine with no database in the way."""
    messages = read_topic(f"{stack.namespace}kinerja.agencies.events", min_count=events, timeout=120)[-events:]
    topic = f"{stack.namespace}bench.ceiling"
    producer = KafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", enable_idempotence=True, linger_ms=5)
    consumer = KafkaConsumer(topic, bootstrap_servers=BOOTSTRAP, group_id=f"{topic}.group",
                             auto_offset_reset="earliest", enable_auto_commit=False, max_poll_records=500)
    consumer.poll(timeout_ms=100)  # join the group before the clock starts
    started = time.monotonic()
    for message in messages:
        producer.send(topic, key=message.key, value=message.value)
    producer.flush()
    received = 0
    while received < len(messages) and time.monotonic() - started < 300:
        batch = consumer.poll(timeout_ms=200)
        received += sum(len(records) for records in batch.values())
        consumer.commit()
    elapsed = time.monotonic() - started
    producer.close()
    consumer.close()
    return received / elapsed


def steady_row(stack: Stack, rate: int, seconds: int) -> Row:
    """Register agencies at a steady `rate` per second; time each from its 201 to its appearance in the
    indicators replica (polled every 5 ms)."""
    acked: dict[str, float] = {}
    visible: dict[str, float] = {}
    lock = threading.Lock()
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=32))
    prefix = "V" + uuid.uuid4().hex[:6]
    done = threading.Event()

    def write(index: int) -> None:
        response = session.post(stack.url("agencies", "/api/v1/agencies"), headers=ADMIN, timeout=10,
                                json={"code": f"{prefix}-{index}", "name": f"Dinas {index}", "type": "province"})
        response.raise_for_status()
        with lock:
            acked[response.json()["id"]] = time.monotonic()

    def watch() -> None:
        replica = _replica(stack)
        while not done.is_set() or len(visible) < len(acked):
            with lock:
                waiting = [i for i in acked if i not in visible]
            if waiting:
                found = [d["_id"] for d in replica.find({"_id": {"$in": waiting}}, {"_id": 1})]
                now = time.monotonic()
                with lock:
                    visible.update({i: now for i in found})
            time.sleep(0.005)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    total = rate * seconds
    achieved = at_steady_rate(total, rate, write)
    done.set()
    watcher.join(timeout=60)
    latencies = [visible[i] - acked[i] for i in acked if i in visible]
    p50, p99 = p50_p99_ms(latencies)
    return Row(f"write-to-visible in the indicators replica at {rate} writes/s for {seconds} s",
               f"p50 {p50:.0f} ms, p99 {p99:.0f} ms ({len(latencies)}/{total} seen, {achieved:.0f} writes/s)",
               budget="p99 < 1 s", passed=p99 < 1000 and len(latencies) == total)
