"""What the worker's relay does with audit records, done in-process for tests that run no worker."""
from __future__ import annotations

from shared.audit import move_pending_audit
from services.agencies.adapters.documents import Agency


def relay_audit_records() -> None:
    collection = Agency._get_collection()
    move_pending_audit(collection, list(collection.find({"audit_pending.0": {"$exists": True}}, {"audit_pending": 1})))
