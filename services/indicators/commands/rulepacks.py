"""Rule packs: versioned, effective-dated scoring rules. Version 1 (the national defaults) exists from the
start; an admin adds newer versions; scorecards name the version that computed them."""
from __future__ import annotations

from shared.audit import audit_entry
from shared.auth.policy import Action, authorize
from shared.contracts.indicators import RULEPACK_ADDED
from shared.errors import Conflict, Invalid
from shared.store.aggregates import NewEvent
from services.indicators.adapters.repository import IndicatorsRepository, rule_pack_document
from services.indicators.commands.common import SYSTEM, IndicatorsContext
from services.indicators.domain.achievement import DEFAULT_RULE_PACK, RulePack


def _event(doc: dict) -> NewEvent:
    return NewEvent(RULEPACK_ADDED, {"rulepack": {"id": doc["id"], "version": doc["number"],
                                                  "effective_from": doc["effective_from"]}})


def ensure_default_rule_pack(repo: IndicatorsRepository) -> None:
    """Version 1, the national defaults, if no rule pack exists yet (idempotent, safe to race)."""
    if repo.rulepacks.get("1") is not None:
        return
    doc = rule_pack_document(DEFAULT_RULE_PACK, SYSTEM.sub)
    try:
        repo.rulepacks.create(doc, _event(doc))
    except Conflict:
        pass


def add_rule_pack(ctx: IndicatorsContext, fields: dict) -> dict:
    """A new version, effective from a date; bands best first and strictly decreasing."""
    authorize(ctx.principal, Action.WRITE, None)
    bands = fields["bands"]
    thresholds = [band.get("above") for band in bands[:-1]]
    if (None in thresholds or any(a <= b for a, b in zip(thresholds, thresholds[1:]))
            or bands[-1].get("above") is not None):
        raise Invalid.field("bands", "bands go from the best grade down, each threshold lower than the one before; "
                                     "the last band has no threshold (above: null)")
    if fields["yellow_from"] > fields["green_from"]:
        raise Invalid.field("yellow_from", "yellow must start below green")
    version = max((p.version for p in ctx.repo.rule_packs()), default=0) + 1
    pack = RulePack(version=version, effective_from=fields["effective_from"], cap=fields["cap"],
                    bands=tuple((b["grade"], float("-inf") if b.get("above") is None else b["above"]) for b in bands),
                    green_from=fields["green_from"], yellow_from=fields["yellow_from"],
                    description=fields.get("description") or "")
    doc = rule_pack_document(pack, ctx.principal.sub)
    audit = audit_entry(ctx.principal, action="add", entity_type="rulepack", entity_id=doc["id"], agency_id=None,
                        agency_path=(), before=None, after={k: v for k, v in doc.items() if k != "id"})
    try:
        return ctx.repo.rulepacks.create(doc, _event(doc), audit)
    except Conflict:
        raise Conflict("Another rule pack was added at the same time; try again.", kind="conflict") from None
