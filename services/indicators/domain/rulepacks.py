"""Rule packs as stored, and how a new version is checked: versioned, effective-dated scoring rules
(shared by every agency; scorecards name the version that computed them)."""
from __future__ import annotations

from datetime import date

from shared.commands import Kind
from shared.errors import Invalid
from services.indicators.domain.achievement import RulePack


def rule_pack_of(doc: dict) -> RulePack:
    return RulePack(version=doc["number"], effective_from=date.fromisoformat(doc["effective_from"]), cap=doc["cap"],
                    bands=tuple((band["grade"], float("-inf") if band["above"] is None else band["above"])
                                for band in doc["bands"]),
                    green_from=doc["green_from"], yellow_from=doc["yellow_from"], description=doc.get("description", ""))


def rule_pack_document(pack: RulePack, created_by: str) -> dict:
    return {"id": str(pack.version), "number": pack.version, "effective_from": pack.effective_from.isoformat(),
            "cap": pack.cap, "bands": [{"grade": grade, "above": None if above == float("-inf") else above}
                                       for grade, above in pack.bands],
            "green_from": pack.green_from, "yellow_from": pack.yellow_from, "description": pack.description,
            "created_by": created_by}


def new_rule_pack(version: int, fields: dict) -> RulePack:
    """Version `version` from its fields; Invalid unless the bands go from the best grade down, each
    threshold lower than the one before and the last without one, and yellow starts below green."""
    bands = fields["bands"]
    thresholds = [band.get("above") for band in bands[:-1]]
    if (None in thresholds or any(a <= b for a, b in zip(thresholds, thresholds[1:]))
            or bands[-1].get("above") is not None):
        raise Invalid.field("bands", "bands go from the best grade down, each threshold lower than the one before; "
                                     "the last band has no threshold (above: null)")
    if fields["yellow_from"] > fields["green_from"]:
        raise Invalid.field("yellow_from", "yellow must start below green")
    return RulePack(version=version, effective_from=fields["effective_from"], cap=fields["cap"],
                    bands=tuple((b["grade"], float("-inf") if b.get("above") is None else b["above"]) for b in bands),
                    green_from=fields["green_from"], yellow_from=fields["yellow_from"],
                    description=fields.get("description") or "")


RULEPACK = Kind("rulepack", lambda doc: {"id": doc["id"], "version": doc["number"], "effective_from": doc["effective_from"]},
                audited=lambda doc: {k: v for k, v in doc.items() if k not in ("id", "version", "created_at", "updated_at")},
                label="rule pack")
