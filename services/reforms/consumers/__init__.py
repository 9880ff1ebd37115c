"""Event handlers of the reforms service: replicas of the agency tree and of indicators (what an
activity's organiser, participants and linked indicators are checked against)."""
from shared.events.handlers import HandlerRegistry
from shared.replicas.agencies import agency_replica
from services.reforms.adapters.documents import indicator_replica
from services.reforms.adapters.repository import ReformsRepository


def build_registry(repo: ReformsRepository) -> HandlerRegistry:
    registry = HandlerRegistry()
    agency_replica(repo.directory.collection).register(registry)
    indicator_replica(repo.indicator_replica).register(registry)
    return registry
