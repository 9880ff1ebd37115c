"""JSON logs on stderr, each line carrying the service and the current correlation id.

The correlation id follows a piece of work across processes: it comes from the
X-Correlation-ID request header (or is generated), is written into every event the request
emits, and is restored by the consumer while it handles that event.
"""
from __future__ import annotations

import contextvars
import logging
import sys
import random

from pythonjsonlogger.json import JsonFormatter

_correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)


def new_correlation_id() -> str:
    # Unique enough to follow one piece of work, without a system call per request (uuid4 reads urandom).
    return f"{random.getrandbits(128):032x}"


def get_correlation_id() -> str | None:
    return _correlation_id.get()


def set_correlation_id(value: str | None) -> contextvars.Token:
    return _correlation_id.set(value)


def reset_correlation_id(token: contextvars.Token) -> None:
    _correlation_id.reset(token)


class _ContextFilter(logging.Filter):
    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        record.correlation_id = _correlation_id.get()
        return True


def configure_logging(service: str, level: str = "INFO") -> None:
    """Replace the root handlers with one JSON handler; safe to call more than once."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_ContextFilter(service))
    handler.setFormatter(JsonFormatter(
        "{asctime}{levelname}{name}{message}{service}{correlation_id}",
        style="{",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    ))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # kafka-python is chatty at INFO (every connection and rebalance step).
    logging.getLogger("kafka").setLevel(max(logging.WARNING, logging.getLevelName(level)))
