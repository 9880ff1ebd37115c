"""Event handlers of the agencies service. It consumes no other service's events yet."""
from shared.events.handlers import HandlerRegistry


def build_registry() -> HandlerRegistry:
    return HandlerRegistry()
