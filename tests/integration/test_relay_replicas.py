"""N replicas of a worker's relay over the same outbox, against real MongoDB and Kafka: one at a time holds the
lease and publishes, so every event reaches the topic exactly once (counted by event id); when the holder dies
(it stops renewing) a standby takes over within the lease's ttl and publishes the rest; a holder whose lease
was taken while it was away sends nothing more."""
from __future__ import annotations

import json
import threading
import time
from collections import Counter

import pytest

from shared.store.lease import Lease, LeaseDocument, LeaseLost
from shared.store.relay import OutboxRelay
from tests.integration.test_outbox_relay import (aggregates, producer, register, rename, store,  # noqa: F401
                                                 topic)
from tests.support.kafka_tools import read_topic, unique
from tests.support.wait import wait_for


@pytest.fixture
def leases(mongo_db):
    return mongo_db[LeaseDocument._meta["collection"] + unique("_")]


def relay_of(aggregates, producer, topic, leases, ttl_s=2.0, send_timeout_s=2.0):
    return OutboxRelay([aggregates], producer, topic, batch_size=50, send_timeout_s=send_timeout_s,
                       lease=Lease(leases, "outbox-relay", ttl_s=ttl_s))


def published(topic: str, expected: int, settle_s: float = 0.0) -> Counter:
    """How often each (aggregate, sequence) was published; with `settle_s`, reads on that long past the
    expected count, so that a duplicate would be seen."""
    messages = read_topic(topic, min_count=expected + (1 if settle_s else 0), timeout=settle_s or 15.0)
    return Counter((json.loads(m.value)["subject"], json.loads(m.value)["sequence"]) for m in messages)


def run_in_thread(relay: OutboxRelay, stop: threading.Event) -> threading.Thread:
    thread = threading.Thread(target=relay.run, kwargs={"should_stop": stop.is_set, "idle_s": 0.01,
                                                        "standby_s": 0.05}, daemon=True)
    thread.start()
    return thread


def drained(aggregates) -> bool:
    return aggregates.count_documents({"outbox.0": {"$exists": True}}) == 0


def test_three_relays_publish_every_event_once_and_a_standby_takes_over(aggregates, producer, topic, leases,
                                                                       store):
    agencies = [register(store) for _ in range(40)]
    expected = {(agency["id"], 1) for agency in agencies}
    relays = [relay_of(aggregates, producer, topic, leases) for _ in range(3)]
    stops = [threading.Event() for _ in relays]
    threads = [run_in_thread(r, s) for r, s in zip(relays, stops)]
    wait_for(lambda: drained(aggregates), timeout=30, message="the first batch relayed")
    holder = next(i for i, r in enumerate(relays) if leases.find_one({"_id": "outbox-relay",
                                                                       "token": r.lease.token}))
    # The holder stops (as a replica shut down would: it gives the lease back) and more is written.
    stops[holder].set()
    threads[holder].join(timeout=10)
    for agency in agencies[:20]:
        rename(store, agency, "Dinas Komunikasi dan Informatika")
        expected.add((agency["id"], 2))
    wait_for(lambda: drained(aggregates), timeout=30, message="a standby relay taking over")
    for stop in stops:
        stop.set()
    for thread in threads:
        thread.join(timeout=10)
    counted = published(topic, len(expected), settle_s=3.0)
    assert set(counted) == expected
    assert [event for event, times in counted.items() if times > 1] == []  # no event published twice


def test_a_dead_holders_lease_is_taken_over_within_its_ttl(aggregates, producer, topic, leases, store):
    dead = Lease(leases, "outbox-relay", ttl_s=2.0)
    assert dead.acquire(wait_s=0)  # a replica that took the lease and was killed: it never renews nor releases
    agency = register(store)
    stop = threading.Event()
    started = time.monotonic()
    thread = run_in_thread(relay_of(aggregates, producer, topic, leases), stop)
    wait_for(lambda: drained(aggregates), timeout=20, message="the standby taking the dead holder's lease")
    took = time.monotonic() - started
    stop.set()
    thread.join(timeout=10)
    # not before the dead holder's lease ran out (2 s), nor before its sends could have landed (2 s more)
    assert 3.5 < took < 8
    assert published(topic, 1) == Counter({(agency["id"], 1): 1})


def test_a_holder_whose_lease_was_taken_sends_nothing_more(aggregates, producer, topic, leases, store):
    relay = relay_of(aggregates, producer, topic, leases, ttl_s=2.0)
    assert relay.lease.acquire(wait_s=0)
    register(store)
    assert relay.relay_once() == 1
    # It was away longer than its lease (paused, cut off): another replica took the lease meanwhile.
    leases.delete_one({"_id": "outbox-relay"})
    other = Lease(leases, "outbox-relay", ttl_s=2.0)
    assert other.acquire(wait_s=0)
    register(store)
    relay.lease._renewed -= 10  # its clock says the lease is due for renewal
    with pytest.raises(LeaseLost):
        relay.relay_once()
    assert aggregates.count_documents({"outbox.0": {"$exists": True}}) == 1  # the new event still waits


class _KilledAfterPublishing(OutboxRelay):
    """A relay killed between the broker's acknowledgement and removing the events from the outboxes."""

    def _removal(self, docs, acked_ids):
        raise KeyboardInterrupt("SIGKILL")


def test_a_holder_killed_after_publishing_leaves_nothing_for_its_successor_to_send_twice(
        aggregates, producer, topic, leases, store, agencies_settings):
    from shared.events.kafka import recent_event_ids

    agencies = [register(store) for _ in range(30)]
    killed = _KilledAfterPublishing([aggregates], producer, topic, batch_size=50,
                                    lease=Lease(leases, "outbox-relay", ttl_s=2.0))
    assert killed.lease.acquire(wait_s=0)
    with pytest.raises(KeyboardInterrupt):
        killed.relay_once()  # all 30 are on the topic, and all 30 still in their outboxes
    assert aggregates.count_documents({"outbox.0": {"$exists": True}}) == 30
    rename(store, agencies[0], "Dinas Baru")  # one more after the crash: it must still go out
    successor = OutboxRelay([aggregates], producer, topic, batch_size=50, send_timeout_s=2.0,
                            lease=Lease(leases, "outbox-relay", ttl_s=2.0),
                            published_recently=lambda n: recent_event_ids(agencies_settings, topic, n))
    stop = threading.Event()
    thread = run_in_thread(successor, stop)
    wait_for(lambda: drained(aggregates), timeout=20, message="the successor taking over")
    stop.set()
    thread.join(timeout=10)
    counted = published(topic, 31, settle_s=3.0)
    assert counted == Counter({**{(a["id"], 1): 1 for a in agencies}, (agencies[0]["id"], 2): 1})
