"""The time commands stamp on what they write."""
from __future__ import annotations

from datetime import datetime, timezone


def now() -> datetime:
    """Milliseconds, as MongoDB stores them: what a write returns is what a later read returns."""
    moment = datetime.now(timezone.utc)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
