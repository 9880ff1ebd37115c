"""Worker entry point: `python -m services.indicators.worker` (outbox relay + consumer)."""
from shared.settings import load_settings
from shared.worker import run_worker
from services.indicators import SERVICE
from services.indicators.adapters import DOCUMENTS
from services.indicators.consumers import build_registry


def main() -> None:
    # No aggregate of this service emits events yet, so there is no outbox to relay.
    run_worker(load_settings(SERVICE), outbox_documents=[], registry=build_registry(), documents=DOCUMENTS)


if __name__ == "__main__":
    main()
