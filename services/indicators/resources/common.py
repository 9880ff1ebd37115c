"""What every route of the indicators service needs: the command context and the repository."""
from flask import current_app

from shared.auth.flask_auth import current_principal
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.commands.common import IndicatorsContext


def repo() -> IndicatorsRepository:
    return current_app.extensions["kinerja.indicators"]


def context() -> IndicatorsContext:
    return IndicatorsContext(principal=current_principal(), repo=repo())
