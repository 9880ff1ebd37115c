"""Worker entry point: `python -m services.reforms.worker` (outbox relay + consumer of agency and
indicator events)."""
from shared.settings import load_settings
from shared.worker import run_worker
from services.reforms import SERVICE
from services.reforms.adapters import DOCUMENTS, OUTBOX_DOCUMENTS
from services.reforms.consumers import build_registry


def main() -> None:
    run_worker(load_settings(SERVICE), outbox_documents=OUTBOX_DOCUMENTS, registry=build_registry(),
               documents=DOCUMENTS)


if __name__ == "__main__":
    main()
