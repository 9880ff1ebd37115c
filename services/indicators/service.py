"""The indicators service, declared: performance indicators, targets, realisations and server-computed
achievement rolled up the agency tree."""
from shared.contracts.indicators import INDICATOR_SNAPSHOT
from shared.service import Service, ServiceSpec
from services.indicators.adapters import DOCUMENTS, OUTBOX_DOCUMENTS
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.adapters.migrations import migrate
from services.indicators.commands.rulepacks import ensure_default_rule_packs
from services.indicators.consumers import build_registry
from services.indicators.resources import blueprints

SPEC = ServiceSpec("indicators", "Kinerja indicators",
                   "Performance indicators, strategic plans, performance agreements, targets, realisations "
                   "and server-computed achievement.",
                   api_port=8002, worker_port=8102, produces=True,
                   consumes=("agencies.events", "indicators.events", "reforms.events"))

SERVICE = Service(
    spec=SPEC,
    documents=DOCUMENTS,
    outbox_documents=OUTBOX_DOCUMENTS,
    repository=IndicatorsRepository.on,
    blueprints=blueprints,
    handlers=build_registry,
    # Version-1 documents first (rule packs among them), then the defaults that are missing.
    startup=lambda repo: (migrate(repo), ensure_default_rule_packs(repo), repo.indicators.add_missing_search_terms()),
    # The reforms service keeps a replica of the indicators (what an activity may be linked to).
    republishable=lambda repo: [(repo.indicators, INDICATOR_SNAPSHOT)],
)
