"""MongoDB adapters of the agencies service."""
from shared.audit import AuditRecord
from shared.store.lease import LeaseDocument
from services.agencies.adapters.documents import Agency

# Every collection of this service; their indexes are created at start-up.
DOCUMENTS = (Agency, AuditRecord, LeaseDocument)
# The aggregates whose events the worker relays.
OUTBOX_DOCUMENTS = (Agency,)
