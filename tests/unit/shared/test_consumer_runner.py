"""ConsumerRunner.poll_once with a fake Kafka consumer: retries pause only the failing partition,
never block the poll loop, never fetch a message twice, and commits name exactly the offsets that are
finished."""
from __future__ import annotations

from dataclasses import dataclass, field

from kafka import TopicPartition

from shared.events.consumer import ConsumerRunner
from shared.events.processing import RetryLater

P0, P1 = TopicPartition("t", 0), TopicPartition("t", 1)


@dataclass
class Message:
    partition: int
    offset: int
    topic: str = "t"


@dataclass
class FakeConsumer:
    """Serves each partition's log from its position, like Kafka: seek rewinds, pause withholds."""

    log: dict[TopicPartition, list[int]]
    position: dict[TopicPartition, int] = field(default_factory=dict)
    paused: set = field(default_factory=set)
    commits: list[tuple[TopicPartition, int]] = field(default_factory=list)

    def poll(self, timeout_ms):
        batch = {}
        for tp, offsets in self.log.items():
            start = self.position.get(tp, 0)
            if tp in self.paused or start >= len(offsets):
                continue
            batch[tp] = [Message(tp.partition, o) for o in offsets[start:]]
            self.position[tp] = len(offsets)
        return batch

    def seek(self, tp, offset):
        self.position[tp] = offset

    def pause(self, *tps):
        self.paused.update(tps)

    def resume(self, *tps):
        self.paused.difference_update(tps)

    def commit(self, offsets):
        self.commits += [(tp, meta.offset) for tp, meta in offsets.items()]


class ScriptedProcessor:
    """Fails (offset -> number of failures) before handling; records what it handled."""

    def __init__(self, failures: dict[tuple[int, int], int], flush_failures: int = 0):
        self.failures = dict(failures)
        self.flush_failures = flush_failures
        self.handled: list[tuple[int, int]] = []
        self.flushed: list[list[tuple[int, int]]] = []
        self._since_flush: list[tuple[int, int]] = []

    def backoff(self, attempt):
        return 1.0

    def flush(self):
        if self.flush_failures:
            self.flush_failures -= 1
            self._since_flush = []
            raise ConnectionError("database unreachable")
        self.flushed.append(self._since_flush)
        self._since_flush = []

    def process(self, message, attempt=0):
        key = (message.partition, message.offset)
        if self.failures.get(key, 0) > attempt:
            return RetryLater(1.0, "handler failed")
        self.handled.append(key)
        self._since_flush.append(key)
        return "handled"


def runner_with(processor, clock):
    return ConsumerRunner(bootstrap_servers=[], group_id="g", topics=["t"], processor=processor, clock=lambda: clock[0])


def test_a_failing_message_pauses_its_partition_while_others_flow_and_resumes_after_its_backoff():
    clock = [0.0]
    processor = ScriptedProcessor({(0, 1): 2})  # offset 1 of partition 0 fails twice
    consumer = FakeConsumer({P0: [0, 1, 2], P1: [0, 1]})
    runner = runner_with(processor, clock)

    runner.poll_once(consumer)
    assert processor.handled == [(0, 0), (1, 0), (1, 1)]
    assert consumer.paused == {P0} and consumer.position[P0] == 1
    assert consumer.commits == [(P0, 1), (P1, 2)]

    runner.poll_once(consumer)  # still backing off: nothing from P0
    assert processor.handled == [(0, 0), (1, 0), (1, 1)]

    clock[0] = 1.0
    runner.poll_once(consumer)  # resumed, fails again (second failure), paused again
    assert consumer.paused == {P0} and runner.attempts[(P0, 1)] == 2

    clock[0] = 2.0
    runner.poll_once(consumer)
    assert processor.handled == [(0, 0), (1, 0), (1, 1), (0, 1), (0, 2)]
    assert consumer.commits[-1] == (P0, 3)
    assert runner.attempts == {} and runner.resume_at == {} and consumer.paused == set()
    assert runner.poll_once(consumer) == 0  # nothing is fetched twice


def test_commits_never_pass_an_unfinished_message():
    clock = [0.0]
    processor = ScriptedProcessor({(0, 0): 1})
    consumer = FakeConsumer({P0: [0, 1, 2]})
    runner = runner_with(processor, clock)
    runner.poll_once(consumer)
    assert consumer.commits == [] and processor.handled == []
    clock[0] = 5.0
    runner.poll_once(consumer)
    assert consumer.commits == [(P0, 3)] and processor.handled == [(0, 0), (0, 1), (0, 2)]


def test_a_rebalance_drops_held_work_and_unpauses_what_it_paused():
    """After a revoke the partition may come straight back to this consumer: it must not stay paused, and
    the message it was retrying is fetched again (the seek left the position on it)."""
    from shared.events.consumer import _ForgetRevoked

    clock = [0.0]
    processor = ScriptedProcessor({(0, 1): 5})
    consumer = FakeConsumer({P0: [0, 1, 2], P1: [0]})
    runner = runner_with(processor, clock)
    runner.consumer = consumer
    runner.poll_once(consumer)
    assert consumer.paused == {P0} and consumer.position[P0] == 1

    _ForgetRevoked(runner).on_partitions_revoked([P0])
    assert consumer.paused == set() and runner.resume_at == {} and runner.attempts == {(P0, 1): 1}
    runner.poll_once(consumer)
    assert processor.handled[-1] != (0, 1) and consumer.paused == {P0}  # seen again at once, still failing


def test_a_batch_whose_write_fails_is_not_committed_and_is_handled_again():
    clock = [0.0]
    processor = ScriptedProcessor({}, flush_failures=1)
    consumer = FakeConsumer({P0: [0, 1, 2]})
    runner = runner_with(processor, clock)
    assert runner.poll_once(consumer) == 0
    assert consumer.commits == [] and consumer.paused == {P0} and consumer.position[P0] == 0
    clock[0] = 5.0
    assert runner.poll_once(consumer) == 3
    assert consumer.commits == [(P0, 3)] and processor.flushed == [[(0, 0), (0, 1), (0, 2)]]


def test_one_flush_writes_every_partitions_run_of_a_poll_and_a_failed_one_rewinds_them_all():
    clock = [0.0]
    processor = ScriptedProcessor({}, flush_failures=1)
    consumer = FakeConsumer({P0: [0, 1], P1: [0, 1, 2]})
    runner = runner_with(processor, clock)
    assert runner.poll_once(consumer) == 0  # the flush failed: both partitions rewound, nothing committed
    assert consumer.commits == [] and consumer.position == {P0: 0, P1: 0} and consumer.paused == {P0, P1}
    clock[0] = 5.0
    assert runner.poll_once(consumer) == 5
    assert processor.flushed == [[(0, 0), (0, 1), (1, 0), (1, 1), (1, 2)]]  # one flush for the whole poll
    assert sorted(consumer.commits) == [(P0, 2), (P1, 3)]


def test_a_batch_that_keeps_failing_to_be_written_backs_off_longer_each_time():
    clock = [0.0]

    class Growing(ScriptedProcessor):
        def backoff(self, attempt):
            return float(attempt)

    processor = Growing({}, flush_failures=3)
    consumer = FakeConsumer({P0: [0, 1]})
    runner = runner_with(processor, clock)
    waits = []
    for _ in range(3):
        assert runner.poll_once(consumer) == 0
        waits.append(runner.resume_at[P0] - clock[0])
        clock[0] = runner.resume_at[P0]
    assert waits == [1.0, 2.0, 3.0]
    assert runner.poll_once(consumer) == 2 and consumer.commits == [(P0, 2)] and runner.flush_failures == {}


def test_another_partitions_flush_going_through_does_not_reset_a_failing_partitions_back_off():
    clock = [0.0]

    class FailsWhileP0IsIn(ScriptedProcessor):
        def backoff(self, attempt):
            return float(attempt)

        def flush(self):
            if any(partition == 0 for partition, _ in self._since_flush):
                self._since_flush = []
                raise RuntimeError("cannot write the cards of partition 0")
            super().flush()

    processor = FailsWhileP0IsIn({})
    consumer = FakeConsumer({P0: [0, 1], P1: []})
    runner = runner_with(processor, clock)
    assert runner.poll_once(consumer) == 0 and runner.resume_at == {P0: 1.0}
    consumer.log[P1].append(0)  # while P0 waits, P1's run is written and committed
    assert runner.poll_once(consumer) == 1 and consumer.commits == [(P1, 1)]
    clock[0] = 1.0
    assert runner.poll_once(consumer) == 0 and runner.resume_at == {P0: 3.0}  # the second failure waits 2 s
    assert runner.flush_failures == {P0: 2}


def test_a_runner_replaced_while_it_writes_commits_nothing():
    clock = [0.0]
    processor = ScriptedProcessor({})
    consumer = FakeConsumer({P0: [0, 1]})
    runner = runner_with(processor, clock)
    flush = processor.flush

    def replaced_meanwhile():
        runner.abandoned = True  # the watchdog gave up on it during the flush
        flush()
    processor.flush = replaced_meanwhile
    assert runner.poll_once(consumer) == 0 and consumer.commits == []


def test_a_member_that_is_never_assigned_a_partition_reconnects():
    clock = [0.0]
    connects = []

    class NeverAssigned(FakeConsumer):
        def assignment(self):
            return set()

        def poll(self, timeout_ms):
            clock[0] += 10.0  # each poll: 10 s of waiting for an assignment
            return {}

        def close(self, autocommit=False):
            pass

    runner = runner_with(ScriptedProcessor({}), clock)
    runner.assignment_timeout_s = 60

    def connect():
        connects.append(clock[0])
        return NeverAssigned({})

    runner._connect = connect
    stop_after = lambda: len(connects) >= 3  # noqa: E731
    runner.run(should_stop=stop_after, error_backoff_s=0)
    assert connects[:3] == [0.0, 70.0, 140.0]


def test_a_stalled_consumer_is_abandoned_and_a_new_member_takes_over():
    """A consumer blocked inside the client (poll never returns) is replaced; the replacement handles
    the messages, and the stalled one, if it wakes, commits nothing."""
    import threading

    from shared.events.consumer import StallWatchdog

    release = threading.Event()
    handled = []
    runners = []

    class Stuck(FakeConsumer):
        def poll(self, timeout_ms):
            release.wait(10)  # blocked inside the client
            return super().poll(timeout_ms)

        def assignment(self):
            return {P0}

        def close(self, autocommit=False):
            pass

    class Fine(Stuck):
        def poll(self, timeout_ms):
            return FakeConsumer.poll(self, timeout_ms)

    consumers = [Stuck({P0: [0, 1]}), Fine({P0: [0, 1]})]

    def make_runner():
        processor = ScriptedProcessor({})
        processor.handled = handled
        runner = ConsumerRunner(bootstrap_servers=[], group_id="g", topics=["t"], processor=processor)
        consumer = consumers[len(runners)]
        runner._connect = lambda: consumer
        runners.append(runner)
        return runner

    stop = threading.Event()
    watchdog = StallWatchdog(make_runner, stall_timeout_s=0.3, check_every_s=0.05)
    thread = threading.Thread(target=watchdog.run, kwargs={"should_stop": stop.is_set})
    thread.start()
    deadline = __import__("time").monotonic() + 5
    while handled != [(0, 0), (0, 1)] and __import__("time").monotonic() < deadline:
        __import__("time").sleep(0.05)
    release.set()
    stop.set()
    thread.join(5)
    assert handled == [(0, 0), (0, 1)] and watchdog.replacements == 1 and runners[0].abandoned
    assert consumers[0].commits == [] and consumers[1].commits == [(P0, 2)]


def test_a_member_revoked_and_never_reassigned_reconnects():
    """kafka-python 3.0.12 can revoke a member's partitions in a rebalance and then never rejoin, while poll()
    keeps returning and assignment() still lists the old partitions: the member reconnects after the timeout."""
    from shared.events.consumer import _ForgetRevoked

    clock, connects = [0.0], []
    tp = TopicPartition("t", 0)

    class RevokedThenForgotten(FakeConsumer):
        def __init__(self, runner):
            super().__init__({})
            self.listener, self.polls = _ForgetRevoked(runner), 0

        def assignment(self):
            return {tp}  # stale: still the old partition

        def poll(self, timeout_ms):
            self.polls += 1
            if self.polls == 1:
                self.listener.on_partitions_assigned([tp])
            if self.polls == 2:
                self.listener.on_partitions_revoked([tp])  # ...and no assignment ever follows
            clock[0] += 10.0
            return {}

        def close(self, autocommit=False):
            pass

    runner = runner_with(ScriptedProcessor({}), clock)
    runner.assignment_timeout_s = 60

    def connect():
        connects.append(clock[0])
        consumer = RevokedThenForgotten(runner)
        runner.consumer = consumer
        return consumer

    runner._connect = connect
    runner.run(should_stop=lambda: len(connects) >= 2, error_backoff_s=0)
    # revoked at t=10 (the second poll), so reconnected once 60 s had passed without partitions
    assert connects == [0.0, 80.0]


def test_a_runner_inside_a_long_flush_is_not_taken_for_stalled():
    """A rescoring can keep the handlers' flush busy for longer than the stall timeout: that is work, not the
    Kafka client's stall, and the watchdog leaves it alone."""
    import threading
    import time

    from shared.events.consumer import StallWatchdog

    class Slow(ScriptedProcessor):
        def flush(self):
            time.sleep(0.8)
            super().flush()

    class Once(FakeConsumer):
        def assignment(self):
            return {P0}

        def close(self, autocommit=False):
            pass

    consumer, runners = Once({P0: [0, 1]}), []

    def make_runner():
        runner = ConsumerRunner(bootstrap_servers=[], group_id="g", topics=["t"], processor=Slow({}))
        runner._connect = lambda: consumer
        runners.append(runner)
        return runner

    stop = threading.Event()
    watchdog = StallWatchdog(make_runner, stall_timeout_s=0.3, check_every_s=0.05)
    thread = threading.Thread(target=watchdog.run, kwargs={"should_stop": stop.is_set})
    thread.start()
    deadline = time.monotonic() + 5
    while not consumer.commits and time.monotonic() < deadline:
        time.sleep(0.02)
    stop.set()
    thread.join(5)
    assert consumer.commits == [(P0, 2)] and watchdog.replacements == 0 and len(runners) == 1
