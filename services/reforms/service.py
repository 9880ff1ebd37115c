"""The reforms service, declared: reform activities (FGDs, trainings, value internalisation) across the
eight areas of change, from plan to follow-up."""
from shared.service import Service, ServiceSpec
from services.reforms.adapters import DOCUMENTS, OUTBOX_DOCUMENTS
from services.reforms.adapters.repository import ReformsRepository
from services.reforms.commands.instruments import ensure_builtin_instruments
from services.reforms.consumers import build_registry
from services.reforms.resources import blueprints

SPEC = ServiceSpec("reforms", "Kinerja reforms",
                   "Reform activities (FGDs, trainings, value internalisation) across the eight areas of change, "
                   "and whether they changed the work culture (pre/post surveys on the ASN core values).",
                   api_port=8003, worker_port=8103, produces=True, consumes=("agencies.events", "indicators.events"))

SERVICE = Service(
    spec=SPEC,
    documents=DOCUMENTS,
    outbox_documents=OUTBOX_DOCUMENTS,
    repository=ReformsRepository.on,
    blueprints=blueprints,
    handlers=build_registry,
    startup=lambda repo: (ensure_builtin_instruments(repo), repo.activities.add_missing_search_terms()),
)
