"""What a view reaches through the app it runs in: the service's database and its repository (both
built once per process by shared.http.app.build_app)."""
from __future__ import annotations

from typing import Any

from flask import current_app
from pymongo.database import Database


def database() -> Database:
    return current_app.extensions["kinerja.db"]


def repository() -> Any:
    return current_app.extensions["kinerja.repository"]
