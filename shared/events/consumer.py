"""The consumer runner: every service's Kafka consumers run through this one loop, feeding each message
to shared.events.processing.

Contract:
- offsets are committed manually, only after every message before them was handled, dead-lettered or
  skipped, and after the handlers' flushes (once per poll, for every partition's run) wrote what they
  buffered; a crash therefore redelivers, never loses (handlers are idempotent);
- a failing handler is retried with capped exponential back-off WITHOUT blocking the poll loop: the
  partition is re-seeked to the failing message and paused, and resumed when its back-off is over, so
  a retry can never outlast `max_poll_interval_ms` and other partitions keep flowing (as arroyo does).
"""
from __future__ import annotations

import logging
import sys
import threading
import time
import traceback
from typing import Callable

from kafka import ConsumerRebalanceListener, KafkaConsumer, TopicPartition
from kafka.coordinator.assignors.cooperative_sticky import CooperativeStickyAssignor
from kafka.structs import OffsetAndMetadata

from shared.events.processing import DeadLetterStorm, MessageProcessor, RetryLater
from shared.metrics import CONSUMER_ASSIGNED, CONSUMER_REPLACEMENTS

log = logging.getLogger(__name__)


class Unassigned(RuntimeError):
    """The consumer joined its group but was given no partition: start over with a new member. (Seen once
    right after a broker restart: a member that never received its assignment consumed nothing.)"""


class _ForgetRevoked(ConsumerRebalanceListener):
    def __init__(self, runner: "ConsumerRunner"):
        self.runner = runner
        self.owned: set = set()  # what this member owns, as the rebalances told it (the metric's value)

    def on_partitions_revoked(self, revoked):
        # Everything handled was committed already; a retry in progress starts over with the next owner
        # (maybe this consumer again: kafka-python then keeps the partition's position, which our seek put
        # on the failing message, and keeps it paused, which must not outlive our back-off).
        if revoked and self.runner.on_revoke:
            self.runner.on_revoke(list(revoked))
        paused = [tp for tp in revoked if tp in self.runner.resume_at]
        for tp in revoked:
            self.runner.resume_at.pop(tp, None)
        if paused and self.runner.consumer is not None:
            self.runner.consumer.resume(*paused)
        # Attempts are kept: if the partition comes back, a failing message still reaches its last retry.
        if revoked:
            log.info("partitions revoked", extra={"partitions": sorted(str(tp) for tp in revoked)})
            self.runner.revoked_once = True
            if self.runner.unassigned_since is None:
                self.runner.unassigned_since = self.runner.clock()
        self.owned -= set(revoked)
        CONSUMER_ASSIGNED.set(len(self.owned))

    def on_partitions_assigned(self, assigned):
        log.info("partitions assigned", extra={"partitions": sorted(str(tp) for tp in assigned)})
        # A completed rebalance, even one that gives this member nothing more (cooperative rebalances tell only
        # what was added; a group with more members than partitions leaves some with none): not stuck.
        self.runner.unassigned_since = None
        self.runner.rebalanced = True
        self.owned |= set(assigned)
        CONSUMER_ASSIGNED.set(len(self.owned))


class ConsumerRunner:
    """Polls the registry's topics with one consumer group and feeds every message to the processor."""

    def __init__(self, *, bootstrap_servers: list[str], group_id: str, topics: list[str],
                 processor: MessageProcessor, max_poll_records: int = 500, max_poll_interval_ms: int = 300000,
                 clock: Callable[[], float] = time.monotonic, on_revoke: Callable[[list], None] | None = None,
                 assignment_timeout_s: float = 30.0, client_options: dict | None = None,
                 instance_id: str | None = None):
        """`on_revoke` is told about every partition taken away by a rebalance (tests, metrics). A member
        that was told of no completed assignment `assignment_timeout_s` after joining, or after a rebalance
        took partitions from it, reconnects; one told it has none (the group has more members than
        partitions) waits as a standby. `client_options`: TLS and SASL (Settings.kafka_client_options);
        `instance_id`: this process's stable name, for static membership (None: dynamic)."""
        self.client_options = {k: v for k, v in (client_options or {}).items() if k != "bootstrap_servers"}
        self.instance_id = instance_id
        self.assignment_timeout_s = assignment_timeout_s
        self.last_progress = clock()
        self.abandoned = False  # set by the watchdog: a stalled runner that wakes up stops without committing
        self.bootstrap_servers = bootstrap_servers
        self.max_poll_interval_ms = max_poll_interval_ms
        self.on_revoke = on_revoke
        self.group_id = group_id
        self.topics = topics
        self.processor = processor
        self.max_poll_records = max_poll_records
        self.clock = clock
        self.attempts: dict[tuple[TopicPartition, int], int] = {}
        self.resume_at: dict[TopicPartition, float] = {}
        self.consumer: KafkaConsumer | None = None
        # Since when this member has owned no partition (joining, or revoked by a rebalance): kafka-python
        # 3.0.12 can revoke a member's partitions and then never rejoin while poll() keeps returning (it looks
        # alive to the stall watchdog), so a member unassigned for `assignment_timeout_s` reconnects.
        self.unassigned_since: float | None = None
        self.revoked_once = False
        self.rebalanced = False  # told of an assignment since it connected (the worker's readiness)
        # While the handlers' flush writes (a rescoring can take minutes), the runner is working, not stalled.
        self.flushing_since: float | None = None
        self.flush_failures: dict[TopicPartition, int] = {}  # per partition: flushes of its runs failed in a row

    def _connect(self) -> KafkaConsumer:
        consumer = KafkaConsumer(
            **{"bootstrap_servers": self.bootstrap_servers, **self.client_options},
            group_id=self.group_id,
            client_id=f"{self.group_id}-consumer",
            # Static membership: a restarted or replaced process with the same name takes its place in the group
            # (the broker fences the old one) instead of making every member rebalance.
            group_instance_id=self.instance_id,
            # Incremental rebalances: only the partitions that move pause, not the whole group.
            partition_assignment_strategy=(CooperativeStickyAssignor,),
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self.max_poll_records,
            max_poll_interval_ms=self.max_poll_interval_ms,
            session_timeout_ms=10000,
            heartbeat_interval_ms=3000,
            # Notice new partitions of subscribed topics within 30 s, not the default 5 minutes.
            metadata_max_age_ms=30000,
        )
        # Subscribe only once this consumer's own metadata knows every topic's partitions: the group
        # leader assigns nothing for a topic it has no partition metadata for, and would not look again
        # until the next metadata refresh (a freshly created topic hits this).
        deadline = time.monotonic() + 30
        for topic in self.topics:
            while not consumer.partitions_for_topic(topic) and time.monotonic() < deadline:
                time.sleep(0.1)
        consumer.subscribe(self.topics, listener=_ForgetRevoked(self))
        self.consumer = consumer
        return consumer

    def run(self, should_stop: Callable[[], bool], error_backoff_s: float = 1.0, max_error_backoff_s: float = 30.0) -> None:
        """Consume until `should_stop()`. Reconnects with capped back-off after errors; a DeadLetterStorm
        is raised to the caller (the worker stops, and says why)."""
        backoff = error_backoff_s
        while not should_stop() and not self.abandoned:
            consumer = None
            try:
                self.last_progress = self.clock()
                self.unassigned_since, self.revoked_once, self.rebalanced = self.clock(), False, False
                CONSUMER_ASSIGNED.set(0)
                consumer = self._connect()
                while not should_stop() and not self.abandoned:
                    self.last_progress = self.clock()
                    self.poll_once(consumer)
                    backoff = error_backoff_s
                    if self.unassigned_since is not None and not self.revoked_once and consumer.assignment():
                        # Assigned before any rebalance (a client that told the listener late, or not at all).
                        # After a revoke, assignment() may still list the old partitions: only the listener counts.
                        self.unassigned_since = None
                    if self.unassigned_since is not None and \
                            self.clock() - self.unassigned_since > self.assignment_timeout_s:
                        raise Unassigned(f"no partition was assigned within {self.assignment_timeout_s:.0f} s "
                                         "of joining or of the last rebalance")
            except DeadLetterStorm:
                raise
            except Exception:  # noqa: BLE001 - reconnect and resume from the committed offsets
                log.exception("consumer loop failed; reconnecting", extra={"backoff_s": backoff})
                time.sleep(backoff)
                backoff = min(backoff * 2, max_error_backoff_s)
            finally:
                if consumer is not None and not self.abandoned:
                    consumer.close(autocommit=False)
                self.attempts.clear()
                self.resume_at.clear()

    def poll_once(self, consumer: KafkaConsumer, timeout_ms: int = 200) -> int:
        """One poll: every partition's run of messages handled, then the handlers' flushes once for them all
        (what they buffered is written in one go: the scorer climbs a tree once for a whole poll), then each
        partition committed up to what it finished. Returns how many messages reached an outcome (retries not
        counted)."""
        self._resume_due(consumer)
        batch = consumer.poll(timeout_ms=timeout_ms)
        if self.abandoned:  # woke up after being replaced: its successor owns these messages now
            return 0
        finished: dict[TopicPartition, tuple[int, int]] = {}  # partition -> (its first offset, the next to commit)
        count = 0
        for partition, messages in batch.items():
            if partition in self.resume_at:  # paused after this batch was fetched
                continue
            done, handled = self._process_run(consumer, partition, messages)
            if done is not None:
                finished[partition] = (messages[0].offset, done)
                count += handled
        if not finished or self.abandoned:
            return 0
        self.flushing_since = self.clock()
        try:
            self.processor.flush()
        except Exception as err:  # noqa: BLE001 - nothing of the poll is committed; it is seen again
            # Counted apart from the messages' own attempts (handling a message again clears those), and per
            # partition (another partition's flush going through meanwhile says nothing of this one's), so
            # that the back-off grows while a partition's run keeps failing to be written.
            for partition in finished:
                self.flush_failures[partition] = self.flush_failures.get(partition, 0) + 1
            failures = max(self.flush_failures[partition] for partition in finished)
            delay = self.processor.backoff(failures)
            log.warning("writing a batch failed; the batch will be handled again",
                        extra={"error": f"{type(err).__name__}: {err}", "partitions": sorted(map(str, finished)),
                               "failures": failures, "retry_in_s": delay})
            for partition, (first, _) in finished.items():
                self._retry_from(consumer, partition, first, delay)
            return 0
        finally:
            self.flushing_since = None
            self.last_progress = self.clock()
        if self.abandoned:  # replaced while it wrote: its successor handles these messages again and commits them
            return 0
        for partition in finished:
            self.flush_failures.pop(partition, None)
        # Commit what is finished and written: at-least-once, never lost.
        consumer.commit({partition: OffsetAndMetadata(done, "", -1) for partition, (_, done) in finished.items()})
        return count

    def _process_run(self, consumer: KafkaConsumer, partition: TopicPartition, messages: list) -> tuple[int | None, int]:
        """Handle a partition's run until a message must be retried later; returns the offset after the last
        message that reached an outcome (None: none did) and how many did."""
        done = None
        count = 0
        for message in messages:
            if self.abandoned:
                break
            self.last_progress = self.clock()  # a long batch is progress, not a stall
            key = (partition, message.offset)
            outcome = self.processor.process(message, self.attempts.get(key, 0))
            if isinstance(outcome, RetryLater):
                self.attempts[key] = self.attempts.get(key, 0) + 1
                self._retry_from(consumer, partition, message.offset, outcome.delay_s)
                break
            self.attempts.pop(key, None)
            done = message.offset + 1
            count += 1
        return (None, 0) if self.abandoned else (done, count)

    def _retry_from(self, consumer: KafkaConsumer, partition: TopicPartition, offset: int, delay_s: float) -> None:
        """Rewind to `offset` and stop fetching the partition until the back-off is over. The fetch
        position, not memory, holds the work: a rebalance cannot lose it."""
        consumer.seek(partition, offset)
        consumer.pause(partition)
        self.resume_at[partition] = self.clock() + delay_s

    def _resume_due(self, consumer: KafkaConsumer) -> None:
        now = self.clock()
        due = [tp for tp, at in self.resume_at.items() if at <= now]
        for tp in due:
            del self.resume_at[tp]
        if due:
            consumer.resume(*due)


class StallWatchdog:
    """Runs a consumer and replaces it when it stalls.

    kafka-python 3.0.12 can block inside `poll()` or `commit()` for good: its client waits for the IO
    thread without a timeout (kafka-python issue 3121, fixed upstream in an unreleased version), seen here
    after a rebalance right after joining, with the member expelled and never rejoining. A runner that has
    not come back for `stall_timeout_s` is abandoned (it stops without committing if it ever wakes) and a
    new one, a new group member, resumes from the committed offsets."""

    def __init__(self, make_runner: Callable[[], "ConsumerRunner"], stall_timeout_s: float = 60.0,
                 check_every_s: float = 2.0, flush_timeout_s: float = 300.0):
        """A runner inside its handlers' flush is not stalled (the stall this guards against is in the Kafka
        client), unless the flush itself outlasts `flush_timeout_s`: the consumer's `max_poll_interval_ms`,
        past which the client has left the group anyway and its commit would fail."""
        self.make_runner = make_runner
        self.stall_timeout_s = stall_timeout_s
        self.flush_timeout_s = flush_timeout_s
        self.check_every_s = check_every_s
        self.replacements = 0
        self.runner: ConsumerRunner | None = None  # the one running now (the worker's readiness asks it)

    def run(self, should_stop: Callable[[], bool]) -> None:
        runner, thread, failure = self._start(should_stop)
        while not should_stop():
            thread.join(self.check_every_s)
            if not thread.is_alive():
                if failure:
                    raise failure[0]
                return
            stalled_s = runner.clock() - runner.last_progress
            flushing = runner.flushing_since is not None and \
                runner.clock() - runner.flushing_since < self.flush_timeout_s
            if stalled_s > self.stall_timeout_s and not flushing:
                frame = sys._current_frames().get(thread.ident)
                log.error("consumer stalled; abandoning it for a new one", extra={
                    "stalled_s": round(stalled_s),
                    "stack": "".join(traceback.format_stack(frame)) if frame else None})
                runner.abandoned = True
                self.replacements += 1
                CONSUMER_REPLACEMENTS.inc()
                runner, thread, failure = self._start(should_stop)

    def _start(self, should_stop):
        runner, failure = self.make_runner(), []
        self.runner = runner

        def body():
            try:
                runner.run(should_stop=should_stop)
            except BaseException as err:  # noqa: BLE001 - handed to the watchdog's own thread
                failure.append(err)

        thread = threading.Thread(target=body, name="consumer-runner", daemon=True)
        thread.start()
        return runner, thread, failure


def kafka_dead_letter(producer, topic: str, service: str) -> Callable[[object, str, str], None]:
    """A dead-letter sink that copies the original bytes and says why in the headers.

    It waits for the broker's acknowledgement: if the dead letter cannot be stored, the offset is
    not committed and the message will be seen again.
    """
    def send(message, reason: str, error: str) -> None:
        headers = list(message.headers or []) + [
            ("dlt_reason", reason.encode()),
            ("dlt_error", error[:4000].encode()),
            ("dlt_consumer", service.encode()),
            ("dlt_original_topic", message.topic.encode()),
            ("dlt_original_partition", str(message.partition).encode()),
            ("dlt_original_offset", str(message.offset).encode()),
        ]
        producer.send(topic, key=message.key, value=message.value or b"", headers=headers).get(timeout=30)
    return send
