"""The handler registry of a service's worker: which handler receives which event type, and the flushes
that write what handlers buffered. No Kafka here: an API process may import the registry (the catalogue,
the AsyncAPI document) without importing a Kafka client.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from shared.events.contracts import EventContract
from shared.events.envelope import Event

Handler = Callable[[Event, dict], None]


@dataclass
class HandlerRegistry:
    """Maps an event type to its contract and the handler that receives (event, validated data).

    A handler may buffer its writes (a snapshot replica keeps the newest snapshot per aggregate) if it
    registers a flush with `after_each_batch`: the runner calls every flush after a poll's runs of messages
    and before committing their offsets, so one database round trip serves the whole poll and nothing is
    committed that was not written."""

    handlers: dict[str, tuple[EventContract, list[Handler]]] = field(default_factory=dict)
    flushes: list[Callable[[], None]] = field(default_factory=list)

    def on(self, contract: EventContract, handler: Handler) -> None:
        """Handlers of one type run in the order they were registered (each must be idempotent: a retry
        runs them all again)."""
        _, handlers = self.handlers.setdefault(contract.type, (contract, []))
        if handler in handlers:
            raise ValueError(f"this handler for {contract.type} is already registered")
        handlers.append(handler)

    def after_each_batch(self, flush: Callable[[], None]) -> None:
        self.flushes.append(flush)

    def topics(self) -> set[str]:
        return {contract.topic for contract, _ in self.handlers.values()}
