"""The outbox relay: moves pending events from aggregate documents (shared.store.outbox) to Kafka, and the
audit records written with them to the audit collection. Runs in each service's worker, never in an API.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable, Iterable

from kafka.errors import KafkaTimeoutError
from pymongo import UpdateMany, UpdateOne
from pymongo.collection import Collection

from shared.events.kafka import kafka_record
from shared.metrics import EVENTS_FAILED, EVENTS_RELAYED, OUTBOX_FAILED, RELAY_ACTIVE, RELAY_SEND_ERRORS
from shared.store.lease import Lease, LeaseLost
from shared.store.outbox import failed_events, now

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RelayPolicy:
    """How the relay treats failures. An error the broker says is transient (it is down, a leader is
    moving) holds everything back for `transient_backoff_s`, counts no attempt and never marks an event
    failed; any other error (the event is too large, refused) counts an attempt against that event only."""

    max_attempts: int = 10
    backoff_s: float = 0.5
    max_backoff_s: float = 60.0
    transient_backoff_s: float = 1.0

    def backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.backoff_s * 2 ** max(attempts - 1, 0), self.max_backoff_s))


def _is_transient(error: BaseException | None) -> bool:
    return bool(getattr(error, "retriable", False))


class OutboxRelay:
    """Moves pending events from aggregate documents to Kafka.

    One pass (`relay_once`) reads a batch of due documents in due order, sends their events (key =
    aggregate id, so an aggregate's events stay in order on one partition), waits for the broker's
    acknowledgements, then in one ordered bulk write removes the acknowledged events of the whole batch
    and records the outcome of each document's first unacknowledged event. A crash between publishing and removing
    means the events are published again: consumers are idempotent.
    """

    def __init__(self, collections: Iterable[Collection], producer, topic: str, *, batch_size: int = 500,
                 send_timeout_s: float = 20.0, policy: RelayPolicy = RelayPolicy(),
                 before_publish: Callable[[list[dict]], None] | None = None, lease: Lease | None = None,
                 published_recently: Callable[[int], set[str]] | None = None):
        """`before_publish(docs)` runs on each batch first (the worker moves their audit records).

        `lease`: with N replicas of the worker, the relay of one at a time publishes (each event once); the
        others stand by and take the lease over when its holder stops or dies (within the lease's ttl).
        The holder makes sure the lease is still its own before each batch it sends, and renews it while it
        waits for the broker's acknowledgements.

        `published_recently(n)`: the ids of the last `n` events of each partition of the topic. A relay that
        takes the lease over first removes from the outboxes the events its predecessor published but had no
        time to remove (it was killed between the broker's acknowledgement and that write): so even a holder's
        crash publishes no event twice. (Its batch is among the last `2 × batch_size` messages of a partition:
        it was the only one publishing.)"""
        self.lease = lease
        self.published_recently = published_recently
        self.collections = list(collections)
        self.producer = producer
        self.topic = topic
        self.batch_size = batch_size
        self.send_timeout_s = send_timeout_s
        self.policy = policy
        self.before_publish = before_publish

    def relay_once(self) -> int:
        """Publish one batch from each collection; returns how many events were acknowledged."""
        return sum(self._relay_collection(c) for c in self.collections)

    def _relay_collection(self, collection: Collection) -> int:
        started = now()
        docs = list(collection.find({"outbox_due": {"$lte": started}}, {"outbox": 1, "audit_pending": 1})
                    .sort("outbox_due", 1).limit(self.batch_size))
        if not docs:
            return 0
        if self.lease is not None:
            self.lease.renew()  # LeaseLost: another replica took over; this one sends nothing more
        if self.before_publish:
            self.before_publish(docs)
        sends = [(doc, self._send_all(doc)) for doc in docs]
        lost = None
        try:
            self._await(sends)
        except LeaseLost as err:  # what the broker acknowledged is still taken out below: never sent twice
            lost = err
        acked_ids: list[str] = []
        failures: list[UpdateOne] = []
        for doc, attempts in sends:
            acked, failure = self._outcome(attempts)
            acked_ids += [entry["id"] for entry in acked]
            if failure is not None:
                failures.append(self._failed(doc["_id"], *failure))
        collection.bulk_write([self._removal(docs, acked_ids), *failures], ordered=True)
        EVENTS_RELAYED.inc(len(acked_ids))
        if lost is not None:
            raise lost
        return len(acked_ids)

    def _await(self, sends: list[tuple[dict, list]]) -> None:
        """Until every send has its outcome — the producer gives each one within its delivery timeout (15 s),
        so `send_timeout_s` is longer — renewing the lease meanwhile. A send still without one when this gives up
        counts as not acknowledged: retried, and perhaps published twice (a broker that acknowledged it after)."""
        deadline = time.monotonic() + self.send_timeout_s
        futures = [future for _, attempts in sends for _, future in attempts]
        while True:
            try:
                self.producer.flush(timeout=max(0.1, min(1.0, deadline - time.monotonic())))
            except KafkaTimeoutError:
                pass
            if all(future.is_done for future in futures) or time.monotonic() >= deadline:
                return
            if self.lease is not None:
                self.lease.renew()

    @staticmethod
    def _removal(docs: list[dict], acked_ids: list[str]) -> UpdateMany:
        """One update for the whole batch, one write per document: remove the acknowledged events and the audit
        records moved (event and record ids are unique, so one condition serves every document), and clear the
        due time of a document left with nothing to move — judged on the document as it is when written, so an
        event or audit record appended meanwhile keeps it due. (Two updates, a pull and then an unset, wrote every
        document twice.)"""
        audit_ids = [record["_id"] for doc in docs for record in doc.get("audit_pending") or ()]

        def without(field: str, key: str, ids: list) -> dict:
            return {"$filter": {"input": {"$ifNull": [f"${field}", []]}, "cond": {"$not": [{"$in": [f"$$this.{key}", ids]}]}}}
        return UpdateMany({"_id": {"$in": [doc["_id"] for doc in docs]}}, [
            {"$set": {"outbox": without("outbox", "id", acked_ids),
                      "audit_pending": without("audit_pending", "_id", audit_ids)}},
            {"$set": {"outbox_due": {"$cond": [{"$and": [{"$eq": [{"$size": "$outbox"}, 0]},
                                                         {"$eq": [{"$size": "$audit_pending"}, 0]}]},
                                               "$$REMOVE", "$outbox_due"]}}}])

    def _send_all(self, doc: dict) -> list[tuple[dict, Any]]:
        """Send the document's events in order. An event that failed before is sent alone: the ones
        after it wait until it is through, so they never overtake it on the topic."""
        entries = doc.get("outbox") or []
        if entries and entries[0].get("attempts"):
            entries = entries[:1]
        return [(entry, self._send(entry["event"])) for entry in entries]

    def _send(self, event: dict[str, Any]):
        try:
            key, value, headers = kafka_record(event)
            return self.producer.send(self.topic, key=key, value=value, headers=headers)
        except Exception as err:  # noqa: BLE001 - refused before sending (too large, no metadata): that event's outcome
            return _Refused(err)

    @staticmethod
    def _outcome(attempts: list[tuple[dict, Any]]) -> tuple[list[dict], tuple[dict, BaseException | None] | None]:
        """The acknowledged prefix, and the first entry that was not acknowledged with its error."""
        acked: list[dict] = []
        for entry, future in attempts:
            if not future.is_done or future.failed():
                return acked, (entry, future.exception if future.is_done else None)
            acked.append(entry)
        return acked, None

    def _failed(self, doc_id: Any, entry: dict, error: BaseException | None) -> UpdateOne:
        """The outcome of a document's first unacknowledged event (after the removals, it is first)."""
        message = f"{type(error).__name__}: {error}" if error else "not acknowledged in time"
        RELAY_SEND_ERRORS.inc()
        if error is None or _is_transient(error):
            log.warning("event not acknowledged; retrying", extra={"event_id": entry["id"], "error": message})
            due = now() + timedelta(seconds=self.policy.transient_backoff_s)
            return UpdateOne({"_id": doc_id, "outbox.0.id": entry["id"]},
                             {"$set": {"outbox.0.error": message, "outbox_due": due}})
        attempts = entry.get("attempts", 0) + 1
        if attempts >= self.policy.max_attempts:
            log.error("event failed for good; its aggregate's later events wait for a retry",
                      extra={"event_id": entry["id"], "aggregate_id": doc_id, "attempts": attempts, "error": message})
            EVENTS_FAILED.inc()
            change = {"outbox.0.attempts": attempts, "outbox.0.error": message, "outbox.0.failed_at": now(),
                      "outbox_due": None, "outbox_failed": True}
        else:
            log.warning("event refused; retrying later", extra={"event_id": entry["id"], "attempts": attempts,
                                                                 "error": message})
            change = {"outbox.0.attempts": attempts, "outbox.0.error": message,
                      "outbox_due": now() + self.policy.backoff(attempts)}
        return UpdateOne({"_id": doc_id, "outbox.0.id": entry["id"]}, {"$set": change})

    def run(self, should_stop: Callable[[], bool], idle_s: float = 0.05, error_backoff_s: float = 1.0,
            standby_s: float = 1.0) -> None:
        """Relay until `should_stop()`; sleep when idle, back off when Kafka or MongoDB fails. With a lease,
        relay only while holding it (try to take it every `standby_s` otherwise), and give it up on the way out."""
        last_gauge = 0.0
        holding = self.lease is None
        unsure = False  # a pass failed after sending: what it published may still be in the outboxes
        try:
            while not should_stop():
                if not holding:
                    holding = self._take_lease(should_stop)
                    if not holding:
                        time.sleep(standby_s)
                        continue
                if unsure:
                    self._recover_quietly()
                    unsure = False
                if time.monotonic() - last_gauge > 10:
                    last_gauge = time.monotonic()
                    OUTBOX_FAILED.set(sum(len(failed_events(c)) for c in self.collections))
                try:
                    published = self.relay_once()
                    if published < self.batch_size and self.lease is not None:
                        self.lease.renew()  # an idle holder keeps its lease too
                except LeaseLost:
                    log.warning("the relay's lease was taken over by another replica; standing by")
                    holding = False
                    RELAY_ACTIVE.set(0)
                    continue
                except Exception:  # noqa: BLE001 - the relay must outlive outages; the events stay pending
                    log.exception("outbox relay pass failed; retrying")
                    unsure = True
                    time.sleep(error_backoff_s)
                    continue
                if published < self.batch_size:
                    time.sleep(idle_s)
        finally:
            if self.lease is not None and holding:
                self.lease.release()
                RELAY_ACTIVE.set(0)

    def _take_lease(self, should_stop: Callable[[], bool] = lambda: False) -> bool:
        try:
            taken = self.lease.acquire(wait_s=0)
        except Exception:  # noqa: BLE001 - MongoDB down: stand by, try again
            log.exception("could not ask for the relay's lease")
            return False
        if taken:
            log.info("relay lease taken: this replica publishes", extra={"lease": self.lease.name,
                                                                        "after_expiry": self.lease.took_over_expired})
            RELAY_ACTIVE.set(1)
            if self.lease.took_over_expired:
                # A predecessor that was paused rather than dead may still have sends in flight: let them land
                # (or fail) before reading what it published, renewing the lease meanwhile.
                deadline = time.monotonic() + self.send_timeout_s
                try:
                    while time.monotonic() < deadline and not should_stop():
                        time.sleep(0.5)
                        self.lease.renew()
                except LeaseLost:
                    RELAY_ACTIVE.set(0)
                    return False
            self._recover_quietly()
        return taken

    def _recover_quietly(self) -> None:
        try:
            self.recover()
        except Exception:  # noqa: BLE001 - without it a crashed predecessor's last batch may come twice
            log.exception("could not check what was published already; relaying anyway")

    def recover(self) -> int:
        """Remove from the outboxes the events already on the topic (a predecessor's interrupted batch);
        returns how many were removed."""
        if self.published_recently is None:
            return 0
        ids = sorted(self.published_recently(2 * self.batch_size))
        if not ids:
            return 0
        removed = 0
        for collection in self.collections:
            docs = list(collection.find({"outbox_due": {"$exists": True}, "outbox.id": {"$in": ids}},
                                        {"outbox": 1, "audit_pending": 1}))
            if not docs:
                continue
            if self.before_publish:
                self.before_publish(docs)  # their audit records too (idempotent)
            found = [e["id"] for doc in docs for e in doc.get("outbox") or () if e["id"] in set(ids)]
            collection.bulk_write([self._removal(docs, found)], ordered=True)
            removed += len(found)
        if removed:
            log.warning("events published by the previous relay but still in the outbox were removed, not sent "
                        "again", extra={"events": removed})
        return removed


class _Refused:
    """A send the producer refused outright, shaped like a completed, failed future."""

    is_done = True

    def __init__(self, error: BaseException):
        self.exception = error

    def failed(self) -> bool:
        return True
