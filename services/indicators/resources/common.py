"""What every route of the indicators service needs: the command context and the repository."""
from shared.http.auth import current_principal
from shared.http.context import repository
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.commands.common import IndicatorsContext


def repo() -> IndicatorsRepository:
    return repository()


def context() -> IndicatorsContext:
    return IndicatorsContext(principal=current_principal(), repo=repo())
