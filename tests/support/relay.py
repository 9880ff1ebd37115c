"""What the worker's relay does with audit records, done in-process for tests that run no worker."""
from __future__ import annotations

from shared.audit import AuditRecord, move_pending_audit
from services.agencies.adapters.documents import Agency
from tests.support.db import coll


def relay_audit_records() -> None:
    agencies = coll(Agency)
    move_pending_audit(coll(AuditRecord), list(agencies.find({"audit_pending.0": {"$exists": True}},
                                                             {"audit_pending": 1})))
