"""Agency rules that know nothing of Flask, MongoDB or Kafka."""
from __future__ import annotations

ROOT = None

AGENCY_TYPES = ("ministry", "institution", "province", "regency", "city", "work_unit", "sub_unit")

# Which parent types each type may sit under (None = may be a root). Ministries and national
# institutions (K/L, e.g. LAN) and provinces are roots; regencies and cities sit under a province;
# work units under any government; sub-units under a work unit or another sub-unit.
DEFAULT_PARENT_RULES: dict[str, tuple[str | None, ...]] = {
    "ministry": (ROOT,),
    "institution": (ROOT,),
    "province": (ROOT,),
    "regency": ("province",),
    "city": ("province",),
    "work_unit": ("ministry", "institution", "province", "regency", "city"),
    "sub_unit": ("work_unit", "sub_unit"),
}


class AgencyRuleViolation(ValueError):
    """The requested structure breaks a registry rule; `field` names the input at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def check_placement(agency_type: str, parent: dict | None, rules=DEFAULT_PARENT_RULES) -> None:
    """Refuse an agency of `agency_type` under `parent` (a stored agency, or None for a root)."""
    allowed = rules.get(agency_type, ())
    if parent is None:
        if ROOT not in allowed:
            raise AgencyRuleViolation("parent_id", f"a {agency_type} needs a parent ({', '.join(a for a in allowed if a)})")
        return
    if parent["status"] != "active":
        raise AgencyRuleViolation("parent_id", f"parent {parent['code']} is inactive")
    if parent["type"] not in allowed:
        options = ", ".join(a or "none" for a in allowed)
        raise AgencyRuleViolation("parent_id", f"a {agency_type} cannot sit under a {parent['type']} (allowed: {options})")


def path_under(parent: dict | None) -> list[str]:
    """Ancestor ids of a child of `parent`, root first."""
    return [] if parent is None else [*parent["path"], parent["id"]]
