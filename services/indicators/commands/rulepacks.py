"""Rule packs: versioned, effective-dated scoring rules; scorecards name the version that computed them.

Version 1 (the national defaults of the first release: AA–D labels, a period the mean of its sub-periods)
and version 2 (SAKIP: aggregation per indicator, the categories of Permendagri 86/2017) are the system's.
A new database gets both, version 2 in force for every period. A database of the first release keeps
scoring with version 1: version 2 arrives proposed (no effective date) until an admin makes it effective
from a date, and then the cards of the periods from that date are computed again and say so."""
from __future__ import annotations

from datetime import date

from shared.auth.policy import Action, authorize
from shared.commands import NO_AGENCY
from shared.contracts.indicators import RULEPACK_ADDED, RULEPACK_EFFECTIVE
from shared.errors import Conflict
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.commands.common import SYSTEM, IndicatorsContext
from services.indicators.domain.achievement import VERSION_1, VERSION_2
from services.indicators.domain.rulepacks import RULEPACK, new_rule_pack, rule_pack_document


def ensure_default_rule_packs(repo: IndicatorsRepository) -> None:
    """Versions 1 and 2 where missing (idempotent, safe to race): version 2 in force from the start on a
    new database, proposed on one that scored with version 1 already. Which one it is, every process starting
    at once sees alike: cards exist or not (they are written by the scorer, never at start-up), whatever
    another process inserted of the rule packs meanwhile."""
    ctx = IndicatorsContext(SYSTEM, repo)
    first_release = repo.scorecards.count({}) > 0
    for pack in (VERSION_1, VERSION_2):
        if repo.rulepacks.get(str(pack.version)) is not None:
            continue
        document = rule_pack_document(pack, SYSTEM.sub)
        if pack is VERSION_2 and first_release:
            document["effective_from"] = None
        try:
            repo.rulepacks.create(ctx.created(RULEPACK, document, RULEPACK_ADDED, action="add", agency=NO_AGENCY,
                                              audited=False))
        except Conflict:
            pass


def add_rule_pack(ctx: IndicatorsContext, fields: dict) -> dict:
    """A new version, effective from a date (or proposed: none); bands best first, strictly decreasing."""
    authorize(ctx.principal, Action.WRITE, None)
    version = max((p.version for p in ctx.repo.rule_packs()), default=0) + 1
    document = rule_pack_document(new_rule_pack(version, fields), ctx.principal.sub)
    try:
        return ctx.repo.rulepacks.create(ctx.created(RULEPACK, document, RULEPACK_ADDED, action="add", agency=NO_AGENCY))
    except Conflict:
        raise Conflict("Another rule pack was added at the same time; try again.", kind="conflict") from None


def make_effective(ctx: IndicatorsContext, version: str, effective_from: date, reason: str) -> dict:
    """Put a version in force from a date (admins): the cards of periods from then are computed again."""
    authorize(ctx.principal, Action.WRITE, None)

    def decide(pack: dict, _):
        if pack["effective_from"] == effective_from.isoformat():
            return None
        return ctx.changed(RULEPACK, pack, {"effective_from": effective_from.isoformat()}, RULEPACK_EFFECTIVE,
                           action="make_effective", agency=NO_AGENCY, reason=reason,
                           extra={"previous_effective_from": pack["effective_from"], "reason": reason})
    return ctx.repo.rulepacks.update(version, decide)
