"""MongoDB adapters of the reforms service."""
from shared.audit import AuditRecord
from shared.replicas.agencies import AgencyReplica
from services.reforms.adapters.documents import (Activity, Commitment, FollowUp, IndicatorReplica, Instrument, Survey,
                                                 SurveyAnswer, SurveyRespondent)

# Every collection of this service; their indexes are created at start-up.
DOCUMENTS = (AgencyReplica, IndicatorReplica, AuditRecord, Activity, FollowUp, Commitment, Instrument, Survey,
             SurveyAnswer, SurveyRespondent)
# The aggregates whose events the worker relays.
OUTBOX_DOCUMENTS = (Activity, FollowUp, Commitment, Instrument, Survey)
