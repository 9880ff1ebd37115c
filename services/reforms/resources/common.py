"""What every route of the reforms service needs: the command context and the repository."""
from shared.http.auth import current_principal
from shared.http.context import repository
from services.reforms.adapters.repository import ReformsRepository
from services.reforms.commands.common import ReformsContext


def repo() -> ReformsRepository:
    return repository()


def context() -> ReformsContext:
    return ReformsContext(principal=current_principal(), repo=repo())
