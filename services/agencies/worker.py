"""Worker entry point: `python -m services.agencies.worker` (outbox relay + consumer)."""
from shared.settings import load_settings
from shared.worker import run_worker
from services.agencies import SERVICE
from services.agencies.adapters import DOCUMENTS
from services.agencies.adapters.documents import Agency
from services.agencies.commands.moves import repair_dirty_subtrees
from services.agencies.consumers import build_registry


def main() -> None:
    run_worker(load_settings(SERVICE), outbox_documents=[Agency], registry=build_registry(),
               maintenance=[repair_dirty_subtrees], documents=DOCUMENTS)


if __name__ == "__main__":
    main()
