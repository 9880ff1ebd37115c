"""Rule packs: versioned, effective-dated scoring rules. Version 1 (the national defaults) exists from the
start; an admin adds newer versions; scorecards name the version that computed them."""
from __future__ import annotations

from shared.auth.policy import Action, authorize
from shared.commands import NO_AGENCY
from shared.contracts.indicators import RULEPACK_ADDED
from shared.errors import Conflict
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.commands.common import SYSTEM, IndicatorsContext
from services.indicators.domain.achievement import DEFAULT_RULE_PACK
from services.indicators.domain.rulepacks import RULEPACK, new_rule_pack, rule_pack_document


def ensure_default_rule_pack(repo: IndicatorsRepository) -> None:
    """Version 1, the national defaults, if no rule pack exists yet (idempotent, safe to race)."""
    if repo.rulepacks.get("1") is not None:
        return
    ctx = IndicatorsContext(SYSTEM, repo)
    change = ctx.created(RULEPACK, rule_pack_document(DEFAULT_RULE_PACK, SYSTEM.sub), RULEPACK_ADDED, action="add",
                         agency=NO_AGENCY, audited=False)
    try:
        repo.rulepacks.create(change)
    except Conflict:
        pass


def add_rule_pack(ctx: IndicatorsContext, fields: dict) -> dict:
    """A new version, effective from a date; bands best first and strictly decreasing."""
    authorize(ctx.principal, Action.WRITE, None)
    version = max((p.version for p in ctx.repo.rule_packs()), default=0) + 1
    document = rule_pack_document(new_rule_pack(version, fields), ctx.principal.sub)
    try:
        return ctx.repo.rulepacks.create(ctx.created(RULEPACK, document, RULEPACK_ADDED, action="add", agency=NO_AGENCY))
    except Conflict:
        raise Conflict("Another rule pack was added at the same time; try again.", kind="conflict") from None
