"""The agencies service, declared: the registry of agencies, from ministries down to work units."""
from shared.contracts.agencies import AGENCY_SNAPSHOT
from shared.service import Service, ServiceSpec
from services.agencies.adapters import DOCUMENTS, OUTBOX_DOCUMENTS
from services.agencies.adapters.repository import AgencyRepository
from services.agencies.commands.paths import repair_for_worker
from services.agencies.resources import blueprints

SPEC = ServiceSpec("agencies", "Kinerja agencies", "Registry of government agencies, from ministries down to work units.",
                   api_port=8001, worker_port=8101, produces=True)

SERVICE = Service(
    spec=SPEC,
    documents=DOCUMENTS,
    outbox_documents=OUTBOX_DOCUMENTS,
    repository=AgencyRepository.on,
    blueprints=blueprints,
    # Finishes subtree moves a crashed request left half done.
    maintenance=lambda agencies: [lambda: repair_for_worker(agencies)],
    startup=lambda agencies: agencies.store.add_missing_search_terms(),
    # The indicators and reforms services keep replicas of the registry.
    republishable=lambda agencies: [(agencies.store, AGENCY_SNAPSHOT)],
)
