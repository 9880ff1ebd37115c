"""Event handlers of the reforms service."""
from shared.events.consumer import HandlerRegistry
from shared.replicas.agencies import AGENCY_REPLICA


def build_registry() -> HandlerRegistry:
    registry = HandlerRegistry()
    AGENCY_REPLICA.register(registry)
    return registry
