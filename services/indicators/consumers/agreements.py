"""A signed or revised performance agreement sets the targets of its indicators: those of the version in
force, applied by the system (commands.agreements.apply_agreement_targets). Idempotent: a redelivered or
older event finds the targets of the version in force set and changes nothing."""
from __future__ import annotations

from shared.auth.tokens import Principal
from shared.contracts.indicators import AGREEMENT_REVISED, AGREEMENT_SIGNED
from shared.events.envelope import Event
from shared.events.handlers import HandlerRegistry
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.commands.agreements import apply_agreement_targets
from services.indicators.commands.common import IndicatorsContext

AGREEMENTS = Principal(sub="system:performance-agreements", role="admin", agency_id="*")


class AgreementTargets:
    def __init__(self, repo: IndicatorsRepository):
        self.repo = repo

    def register(self, registry: HandlerRegistry) -> None:
        for contract in (AGREEMENT_SIGNED, AGREEMENT_REVISED):
            registry.on(contract, self.on_agreement)

    def on_agreement(self, event: Event, data: dict) -> None:
        apply_agreement_targets(IndicatorsContext(AGREEMENTS, self.repo), data["performance_agreement"]["id"])
