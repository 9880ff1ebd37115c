"""What every route of the reforms service needs: the command context and the repository."""
from flask import current_app

from shared.auth.flask_auth import current_principal
from services.reforms.adapters.repository import ReformsRepository
from services.reforms.commands.common import ReformsContext


def repo() -> ReformsRepository:
    return current_app.extensions["kinerja.reforms"]


def context() -> ReformsContext:
    return ReformsContext(principal=current_principal(), repo=repo())
