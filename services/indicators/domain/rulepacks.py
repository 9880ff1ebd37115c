"""Rule packs as stored, and how a new version is checked: versioned, effective-dated scoring rules
(shared by every agency; scorecards name the version that computed them)."""
from __future__ import annotations

from datetime import date

from shared.commands import Kind
from shared.errors import Invalid
from services.indicators.domain.achievement import (AGGREGATE, FORMULAS, MEAN_OF_PERIODS, NEAREST_BOUND, POLARITIES,
                                                    Band, RulePack)


def rule_pack_of(doc: dict) -> RulePack:
    """A stored rule pack (adapters.migrations has brought version-1 documents to this shape)."""
    return RulePack(version=doc["number"],
                    effective_from=date.fromisoformat(doc["effective_from"]) if doc.get("effective_from") else None,
                    method=doc.get("method", MEAN_OF_PERIODS), formulas=dict(doc["formulas"]),
                    range_rule=doc.get("range_rule", NEAREST_BOUND), cap=doc["cap"], floor=doc.get("floor", 0.0),
                    bands=tuple(Band(b["code"], b["label"], b.get("min"), b.get("inclusive", True))
                                for b in doc["bands"]),
                    green_from=doc["green_from"], yellow_from=doc["yellow_from"], description=doc.get("description", ""))


def rule_pack_document(pack: RulePack, created_by: str) -> dict:
    return {"id": str(pack.version), "number": pack.version,
            "effective_from": pack.effective_from.isoformat() if pack.effective_from else None,
            "method": pack.method, "formulas": dict(pack.formulas), "range_rule": pack.range_rule,
            "cap": pack.cap, "floor": pack.floor,
            "bands": [{"code": b.code, "label": b.label, "min": b.min, "inclusive": b.inclusive} for b in pack.bands],
            "green_from": pack.green_from, "yellow_from": pack.yellow_from, "description": pack.description,
            "created_by": created_by}


def new_rule_pack(version: int, fields: dict) -> RulePack:
    """Version `version` from its fields; Invalid unless the bands go from the best category down, each
    threshold lower than the one before and the last without one, the formulas are named ones fitting
    their polarity, the floor is below the cap and yellow starts below green."""
    bands = fields["bands"]
    thresholds = [band.get("min") for band in bands[:-1]]
    if (None in thresholds or any(a <= b for a, b in zip(thresholds, thresholds[1:]))
            or bands[-1].get("min") is not None):
        raise Invalid.field("bands", "bands go from the best category down, each threshold lower than the one "
                                     "before; the last band has no threshold (min: null)")
    if len({b["code"] for b in bands}) != len(bands):
        raise Invalid.field("bands", "every band has a code of its own")
    formulas = {**{"higher_is_better": "ratio", "lower_is_better": "inverse_ratio"}, **(fields.get("formulas") or {})}
    if set(formulas) - set(POLARITIES) or set(formulas.values()) - set(FORMULAS):
        raise Invalid.field("formulas", f"one of {', '.join(FORMULAS)} for each of {', '.join(POLARITIES)}")
    if formulas["higher_is_better"] != "ratio":
        raise Invalid.field("formulas", "higher is better is scored R / T × 100 (ratio)")
    fields = {**RULE_DEFAULTS, **{k: v for k, v in fields.items() if v is not None or k == "effective_from"}}
    if fields["yellow_from"] > fields["green_from"]:
        raise Invalid.field("yellow_from", "yellow must start below green")
    if fields["floor"] >= fields["cap"]:
        raise Invalid.field("floor", "the floor must be below the cap")
    return RulePack(version=version, effective_from=fields.get("effective_from"), method=fields["method"],
                    formulas=formulas, range_rule=fields["range_rule"], cap=fields["cap"], floor=fields["floor"],
                    bands=tuple(Band(b["code"], b.get("label") or b["code"], b.get("min"), b.get("inclusive", True))
                                for b in bands),
                    green_from=fields["green_from"], yellow_from=fields["yellow_from"],
                    description=fields.get("description") or "")


# What a new version has unless its fields say otherwise (the request schema has the same defaults).
RULE_DEFAULTS = {"method": AGGREGATE, "range_rule": NEAREST_BOUND, "cap": 120.0, "floor": 0.0, "green_from": 76.0,
                 "yellow_from": 51.0}


def version_1_bands(bands: list[dict]) -> list[dict]:
    """Version 1 stored its bands as {grade, above} (a score strictly above it gets the grade)."""
    return [{"code": b["grade"], "label": b["grade"], "min": b["above"], "inclusive": False} for b in bands]


RULEPACK = Kind("rulepack", lambda doc: {"id": doc["id"], "version": doc["number"],
                                        "effective_from": doc["effective_from"], "method": doc.get("method")},
                audited=lambda doc: {k: v for k, v in doc.items() if k not in ("id", "version", "created_at", "updated_at")},
                label="rule pack")
