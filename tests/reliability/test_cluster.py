"""Scaled out on a real three-broker Kafka cluster (KRaft, replication factor 3, min.insync.replicas 2) of this
test's own: two replicas of every worker and two agencies APIs. Writes go through both APIs while one broker is
killed with SIGKILL and started again and one replica of each worker is killed; afterwards every write an API
acknowledged was published exactly once (counted by event id), every replica of the registry holds every agency
at its version, no consumer group is left rebalancing and nothing was dead-lettered. The figures are printed
(run with -s to see them) and quoted in the README."""
from __future__ import annotations

import json
import os
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from pymongo import MongoClient

from kinerja.testing.stack import Stack
from tests.conftest import TEST_JWT_SECRET, auth_header
from tests.support.kafka_tools import unique
from tests.support.servers import KafkaCluster
from tests.support.wait import answers, wait_for

pytestmark = pytest.mark.reliability
ADMIN = auth_header("admin")
WRITES = int(os.environ.get("KINERJA_CLUSTER_WRITES", "20000"))
THREADS = 8


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    brokers = KafkaCluster(tmp_path_factory.mktemp("cluster")).start()
    yield brokers
    brokers.stop()


@pytest.fixture(scope="module")
def scaled(cluster, namespace):
    stack = Stack(f"{namespace}cluster_", kafka=cluster.bootstrap, jwt_secret=TEST_JWT_SECRET,
                  env={"KINERJA_TOPIC_REPLICATION": "3", "KINERJA_TOPIC_MIN_INSYNC": "2"}).start()
    second_api = stack.start_api("agencies", replica=1)
    for service in ("agencies", "indicators", "reforms"):
        stack.start_worker(service, replica=1)
    wait_for(lambda: answers(f"http://127.0.0.1:{second_api}/readyz"), timeout=60, message="the second agencies API")
    yield stack, [stack.ports["agencies"], second_api]
    stack.stop()
    stack.drop_data()


def read_all(bootstrap: str, topic: str) -> list:
    """Every message of the topic up to its end offsets now."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap.split(","), group_id=None, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        ends = consumer.end_offsets(partitions)
        messages = []
        while any(consumer.position(tp) < ends[tp] for tp in partitions):
            for records in consumer.poll(timeout_ms=500).values():
                messages.extend(records)
        return messages
    finally:
        consumer.close()


def group_states(bootstrap: str, groups: list[str]) -> dict[str, str]:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap.split(","))
    try:
        return {g["group_id"]: g["group_state"] for g in admin.list_groups() if g["group_id"] in groups}
    finally:
        admin.close()


@pytest.mark.timeout(1200)
def test_writes_through_two_apis_are_published_once_while_a_broker_and_worker_replicas_are_killed(cluster, scaled):
    stack, api_ports = scaled
    # Numbered: 20,000 random 8-digit hex suffixes would collide about once in 20 runs (a legitimate 409).
    run = unique("CL")
    codes = [f"{run}-{i:05d}" for i in range(WRITES)]
    acknowledged: dict[str, str] = {}
    lock = threading.Lock()
    done = Counter()
    faults: list[tuple[float, str]] = []
    started = time.monotonic()

    def write(index: int) -> None:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        port = api_ports[index % 2]
        for attempt in range(20):  # a 503 (store unavailable) is retried as a client would; a 201 is final
            try:
                response = session.post(f"http://127.0.0.1:{port}/api/v1/agencies", headers=ADMIN, timeout=30,
                                        json={"code": codes[index], "name": f"Dinas {codes[index]}",
                                              "type": "province"})
            except requests.RequestException:
                time.sleep(0.2)
                continue
            if response.status_code == 201:
                with lock:
                    acknowledged[response.json()["id"]] = codes[index]
                    done["written"] += 1
                return
            if response.status_code == 409:  # an attempt that timed out got through after all: the registry has it
                stored = source.find_one({"code": codes[index]}, {"_id": 1})
                with lock:
                    acknowledged[stored["_id"]] = codes[index]
                    done["written"] += 1
                    done["retried into a duplicate"] += 1
                return
            time.sleep(0.2 * (attempt + 1))
        with lock:
            done["given up"] += 1

    def inject() -> None:
        """The faults, at fractions of the writes done."""
        plan = [(0.25, "kill broker 2", lambda: cluster.kill(1)),
                (0.5, "kill one replica of each worker", lambda: [stack.kill(f"{s}-worker")
                                                                 for s in ("agencies", "indicators", "reforms")]),
                (0.75, "restart broker 2", lambda: cluster.restart(1))]
        for fraction, what, act in plan:
            while done["written"] + done["given up"] < fraction * WRITES:
                time.sleep(0.05)
            act()
            faults.append((round(time.monotonic() - started, 1), what))

    local = threading.local()
    source = MongoClient(stack.mongo)[f"{stack.namespace}kinerja_agencies"].agencies
    injector = threading.Thread(target=inject, daemon=True)
    injector.start()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(write, range(WRITES)))
    writing_s = time.monotonic() - started
    injector.join(timeout=120)

    client = MongoClient(stack.mongo)
    wait_for(lambda: source.count_documents({"outbox.0": {"$exists": True}}) == 0, timeout=300, interval=0.5,
             message="every agencies outbox drained")
    replicas = {s: client[f"{stack.namespace}kinerja_{s}"].agency_replica for s in ("indicators", "reforms")}
    for service, replica in replicas.items():
        wait_for(lambda: replica.count_documents({"_id": {"$in": list(acknowledged)}}) == len(acknowledged),
                 timeout=300, interval=0.5, message=f"every agency in the {service} replica")
    converged_s = time.monotonic() - started - writing_s

    topic = f"{stack.namespace}kinerja.agencies.events"
    messages = read_all(cluster.bootstrap, topic)
    by_id = Counter(json.loads(m.value)["id"] for m in messages)
    registered = Counter(json.loads(m.value)["subject"] for m in messages
                         if json.loads(m.value)["type"] == "kinerja.agency.registered.v1")
    duplicates = {event: times for event, times in by_id.items() if times > 1}
    states = group_states(cluster.bootstrap, [f"{stack.namespace}kinerja.{s}" for s in ("indicators", "reforms")])
    dead = {s: len(read_all(cluster.bootstrap, f"{stack.namespace}kinerja.{s}.dlt")) for s in ("indicators", "reforms")}
    print(f"\ncluster: {WRITES} writes through 2 APIs in {writing_s:.1f} s ({len(acknowledged)} acknowledged, "
          f"{done['given up']} given up, {done['retried into a duplicate']} retried after a lost answer), faults {faults}; converged {converged_s:.1f} s after the last write; "
          f"{len(messages)} messages on {topic}, {len(duplicates)} duplicated event ids; groups {states}; "
          f"dead letters {dead}")
    assert done["given up"] == 0 and len(acknowledged) == WRITES
    assert set(registered) == set(acknowledged) and all(n == 1 for n in registered.values())
    assert duplicates == {}
    for replica in replicas.values():
        stored = {d["_id"]: d["code"] for d in replica.find({"_id": {"$in": list(acknowledged)}}, {"code": 1})}
        assert stored == acknowledged
    assert set(states.values()) == {"Stable"}
    assert dead == {"indicators": 0, "reforms": 0}
