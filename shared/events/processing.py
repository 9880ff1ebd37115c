"""Processing one message of a consumer: parse, validate against the contract, dispatch to the handlers;
or dead-letter it, or ask for a retry later. No Kafka client here (the runner, shared.events.consumer,
feeds it messages from Kafka; tests feed it messages of their own).

- a message that cannot be parsed, breaks its type's contract, or still fails after its retries goes to
  the service's dead-letter topic with the reason, and the consumer moves on;
- infrastructure errors (database, network, timeouts, a dead-letter topic that cannot be written) are
  not the message's fault: it is retried, never dead-lettered, for as long as the outage lasts;
- unknown event types are skipped (other services may add types at any time);
- a consumer that dead-letters more than a configured share of a window of messages stops and says
  why (DeadLetterStorm): that is bad code or a bad deploy, not bad messages.
"""
from __future__ import annotations

import logging
import traceback
from collections import deque
from dataclasses import dataclass
from typing import Callable

from pymongo.errors import ConnectionFailure, ExecutionTimeout, WTimeoutError

from shared.errors import Unavailable
from shared.events.contracts import ContractViolation
from shared.events.envelope import Event, MalformedEvent
from shared.events.handlers import HandlerRegistry
from shared.logging import reset_correlation_id, set_correlation_id
from shared.metrics import EVENTS_CONSUMED

log = logging.getLogger(__name__)

# Errors that say the infrastructure is down or slow rather than that the message is bad.
INFRASTRUCTURE_ERRORS: tuple[type[BaseException], ...] = (ConnectionFailure, ExecutionTimeout, WTimeoutError,
                                                          TimeoutError, OSError, Unavailable)


def is_infrastructure_error(error: BaseException) -> bool:
    """An outage, not a bad message: database and network errors, and errors a client library marks
    retriable (kafka-python's `retriable`), which is checked by attribute so that no Kafka import is needed."""
    return isinstance(error, INFRASTRUCTURE_ERRORS) or bool(getattr(error, "retriable", False))


@dataclass(frozen=True)
class RetryLater:
    """The message must be seen again after `delay_s`; `reason` says why (logs and metrics)."""

    delay_s: float
    reason: str


class DeadLetterStorm(RuntimeError):
    """Too large a share of recent messages went to the dead-letter topic: stop and let a human look."""


class DeadLetterGuard:
    """Watches the outcome of the last `window` messages; trips when more than `max_share` of them were
    dead-lettered (once at least `min_messages` were seen)."""

    def __init__(self, max_share: float = 0.5, window: int = 100, min_messages: int = 20):
        self.max_share = max_share
        self.min_messages = min_messages
        self.outcomes: deque[bool] = deque(maxlen=window)

    def observe(self, dead_lettered: bool) -> None:
        self.outcomes.append(dead_lettered)
        dead = sum(self.outcomes)
        if len(self.outcomes) >= self.min_messages and dead / len(self.outcomes) > self.max_share:
            raise DeadLetterStorm(f"{dead} of the last {len(self.outcomes)} messages were dead-lettered "
                                  f"(limit {self.max_share:.0%}); stopping: check the handlers and the producers")


class _DeadLetter(Exception):
    def __init__(self, reason: str, error: str):
        super().__init__(error)
        self.reason = reason
        self.error = error


class MessageProcessor:
    """Handles one Kafka message: parse, validate, dispatch; or dead-letter, or ask for a retry."""

    def __init__(self, registry: HandlerRegistry, dead_letter: Callable[[object, str, str], None],
                 max_retries: int = 3, backoff_s: float = 0.1, max_backoff_s: float = 30.0,
                 guard: DeadLetterGuard | None = None):
        self.registry = registry
        self.dead_letter = dead_letter
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.guard = guard or DeadLetterGuard()

    def backoff(self, attempt: int) -> float:
        return min(self.backoff_s * 2 ** attempt, self.max_backoff_s)

    def process(self, message, attempt: int = 0) -> str | RetryLater:
        """`attempt` counts earlier tries of this message. Returns handled, skipped or dead_lettered, or
        RetryLater. Raises DeadLetterStorm when the guard trips."""
        try:
            outcome = self._dispatch(message, attempt)
        except _DeadLetter as dead:
            log.warning("dead-lettering message", extra={"reason": dead.reason, "error": dead.error,
                                                         "topic": message.topic, "offset": message.offset})
            try:
                self.dead_letter(message, dead.reason, dead.error)
            except Exception as err:  # noqa: BLE001 - the dead letter is not stored: see the message again
                return self._retry(attempt, f"dead-letter topic unavailable: {err}")
            outcome = "dead_lettered"
        if isinstance(outcome, RetryLater):
            EVENTS_CONSUMED.labels(outcome="retried").inc()
            return outcome
        EVENTS_CONSUMED.labels(outcome=outcome).inc()
        self.guard.observe(outcome == "dead_lettered")
        return outcome

    def _retry(self, attempt: int, reason: str) -> RetryLater:
        return RetryLater(self.backoff(attempt), reason)

    def flush(self) -> None:
        """Write what the handlers buffered (raises what the database raises)."""
        for flush in self.registry.flushes:
            flush()

    def _dispatch(self, message, attempt: int) -> str | RetryLater:
        try:
            event = Event.from_json(message.value)
        except MalformedEvent as err:
            raise _DeadLetter("unparseable", str(err)) from None
        entry = self.registry.handlers.get(event.type)
        if entry is None:
            log.debug("skipping unknown event type", extra={"type": event.type})
            return "skipped"
        contract, handlers = entry
        try:
            data = contract.validate(event.data)
        except ContractViolation as err:
            raise _DeadLetter("contract_violation", str(err)) from None
        token = set_correlation_id(event.correlationid)
        try:
            for handler in handlers:
                handler(event, data)
        except Exception as err:  # noqa: BLE001 - sorted below: outage, retry, or dead letter
            if is_infrastructure_error(err):
                log.warning("infrastructure unavailable; the message will be retried",
                            extra={"event_id": event.id, "error": f"{type(err).__name__}: {err}"})
                return self._retry(attempt, f"infrastructure: {type(err).__name__}")
            if attempt >= self.max_retries:
                raise _DeadLetter("handler_failed", "".join(traceback.format_exception_only(err)).strip()) from err
            log.warning("handler failed; retrying", extra={"event_id": event.id, "attempt": attempt + 1,
                                                            "error": f"{type(err).__name__}: {err}"})
            return self._retry(attempt, "handler failed")
        finally:
            reset_correlation_id(token)
        return "handled"
