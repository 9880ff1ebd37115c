"""Event handlers of the reforms service: replicas of the agency tree and of indicators (what an
activity's organiser, participants and linked indicators are checked against)."""
from shared.events.consumer import HandlerRegistry
from shared.replicas.agencies import AGENCY_REPLICA
from services.reforms.adapters.documents import INDICATOR_REPLICA


def build_registry() -> HandlerRegistry:
    registry = HandlerRegistry()
    AGENCY_REPLICA.register(registry)
    INDICATOR_REPLICA.register(registry)
    return registry
