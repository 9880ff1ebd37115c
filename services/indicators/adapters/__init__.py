"""MongoDB adapters of the indicators service."""
from shared.audit import AuditRecord
from shared.replicas.agencies import AgencyReplica

# Every collection of this service; their indexes are created at start-up.
DOCUMENTS = (AgencyReplica, AuditRecord)
