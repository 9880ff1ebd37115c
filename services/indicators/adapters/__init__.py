"""MongoDB adapters of the indicators service."""
from shared.audit import AuditRecord
from shared.replicas.agencies import AgencyReplica
from shared.store.ledger import ProcessedEvent
from services.indicators.adapters.documents import (AgencyWeight, Indicator, PerformanceAgreement, PeriodLock,
                                                    Realisation, ReformActivityRecord, ReportNarrative,
                                                    RulePackDocument, Scorecard, StrategicPlan)

# The aggregates whose events the worker relays.
OUTBOX_DOCUMENTS = (Indicator, Realisation, PeriodLock, RulePackDocument, Scorecard, AgencyWeight, StrategicPlan,
                    PerformanceAgreement, ReportNarrative)
# Every collection of this service; their indexes are created at start-up.
DOCUMENTS = (AgencyReplica, AuditRecord, ProcessedEvent, ReformActivityRecord, *OUTBOX_DOCUMENTS)
