"""Event handlers of the indicators service: the agency replica, the scorecards kept from every event
that can change a score, and completed reform activities counted toward linked indicators."""
from shared.events.consumer import HandlerRegistry
from shared.replicas.agencies import AGENCY_REPLICA
from shared.settings import load_settings
from services.indicators import SERVICE
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.consumers.reform_activities import ReformCounter
from services.indicators.consumers.scorecards import Scorer


def build_registry(repo: IndicatorsRepository | None = None) -> HandlerRegistry:
    """The replica first: its flush runs before the scorer's, which reads the tree."""
    repo = repo or IndicatorsRepository(load_settings(SERVICE))
    registry = HandlerRegistry()
    AGENCY_REPLICA.register(registry)
    ReformCounter(repo).register(registry)
    Scorer(repo).register(registry)
    return registry
