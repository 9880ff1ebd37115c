"""Event handlers of the indicators service."""
from shared.events.consumer import HandlerRegistry
from shared.replicas.agencies import register_agency_replica


def build_registry() -> HandlerRegistry:
    registry = HandlerRegistry()
    register_agency_replica(registry)
    return registry
