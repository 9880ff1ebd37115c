"""Worker entry point: `python -m services.agencies.worker` (outbox relay + consumer + maintenance)."""
from shared.settings import load_settings
from shared.worker import run_worker
from services.agencies import SERVICE
from services.agencies.adapters import DOCUMENTS
from services.agencies.adapters.documents import Agency
from services.agencies.adapters.repository import agency_repository
from services.agencies.commands.paths import repair_for_worker
from services.agencies.consumers import build_registry


def main() -> None:
    settings = load_settings(SERVICE)
    agencies = agency_repository(settings)

    def finish_interrupted_moves() -> int:
        return repair_for_worker(agencies)

    run_worker(settings, outbox_documents=[Agency], registry=build_registry(), documents=DOCUMENTS,
               maintenance=[finish_interrupted_moves])


if __name__ == "__main__":
    main()
