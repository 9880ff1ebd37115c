"""The indicators service, declared: performance indicators, targets, realisations and server-computed
achievement rolled up the agency tree."""
from shared.service import Service, ServiceSpec
from services.indicators.adapters import DOCUMENTS, OUTBOX_DOCUMENTS
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.commands.rulepacks import ensure_default_rule_pack
from services.indicators.consumers import build_registry
from services.indicators.resources import blueprints

SPEC = ServiceSpec("indicators", "Kinerja indicators",
                   "Performance indicators, targets, realisations and server-computed achievement.",
                   api_port=8002, worker_port=8102, produces=True,
                   consumes=("agencies.events", "indicators.events", "reforms.events"))

SERVICE = Service(
    spec=SPEC,
    documents=DOCUMENTS,
    outbox_documents=OUTBOX_DOCUMENTS,
    repository=IndicatorsRepository.on,
    blueprints=blueprints,
    handlers=build_registry,
    startup=lambda repo: (ensure_default_rule_pack(repo), repo.indicators.add_missing_search_terms()),
)
