"""Worker entry point: `python -m services.indicators.worker` (relay, consumers, scorecards)."""
from shared.settings import load_settings
from shared.worker import run_worker
from services.indicators import SERVICE
from services.indicators.adapters import DOCUMENTS, OUTBOX_DOCUMENTS
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.commands.rulepacks import ensure_default_rule_pack
from services.indicators.consumers import build_registry


def main() -> None:
    settings = load_settings(SERVICE)
    repo = IndicatorsRepository(settings)

    def default_rule_pack() -> None:
        ensure_default_rule_pack(repo)

    run_worker(settings, outbox_documents=OUTBOX_DOCUMENTS, registry=build_registry(repo), documents=DOCUMENTS,
               maintenance=[default_rule_pack])


if __name__ == "__main__":
    main()
