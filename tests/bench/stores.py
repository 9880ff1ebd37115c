"""A service's repository on the bench stack's own database: rows that write months of data straight into a
service's collections (in its own format) and run its own code on it."""
from __future__ import annotations

from shared.db import database, prepare
from shared.settings import load_settings
from services.registry import SERVICES
from kinerja.testing.stack import Stack
from tests.conftest import TEST_JWT_SECRET


def repository_of(stack: Stack, name: str):
    service = SERVICES[name]
    settings = load_settings(service.spec, {"KINERJA_NAMESPACE": stack.namespace, "KINERJA_JWT_SECRET": TEST_JWT_SECRET})
    repository = service.repository(prepare(database(settings), service.documents), settings)
    service.startup(repository)
    return repository
