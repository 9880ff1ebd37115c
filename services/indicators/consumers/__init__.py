"""Event handlers of the indicators service: the agency replica, the scorecards kept from every event
that can change a score, completed reform activities counted toward linked indicators, closed work-culture
surveys feeding the indicators of their instrument, and the targets of signed performance agreements."""
from shared.events.handlers import HandlerRegistry
from shared.replicas.agencies import agency_replica
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.consumers.agreements import AgreementTargets
from services.indicators.consumers.culture_index import CultureFeed
from services.indicators.consumers.reform_activities import ReformCounter
from services.indicators.consumers.scorecards import Scorer


def build_registry(repo: IndicatorsRepository) -> HandlerRegistry:
    """The replica first: its flush runs before the scorer's, which reads the tree."""
    registry = HandlerRegistry()
    agency_replica(repo.directory.collection).register(registry)
    ReformCounter(repo).register(registry)
    CultureFeed(repo).register(registry)
    AgreementTargets(repo).register(registry)
    Scorer(repo).register(registry)
    return registry
