import pytest

from services.agencies.domain.agency import AgencyRuleViolation, check_placement, path_under


def agency(type_, status="active", path=(), id_="p"):
    return {"id": id_, "code": f"C-{id_}", "type": type_, "status": status, "path": list(path)}


@pytest.mark.parametrize("child, parent_type", [
    ("ministry", None), ("institution", None), ("province", None), ("regency", "province"), ("city", "province"),
    ("work_unit", "regency"), ("work_unit", "institution"), ("sub_unit", "work_unit"), ("sub_unit", "sub_unit"),
])
def test_allowed_placements(child, parent_type):
    check_placement(child, agency(parent_type) if parent_type else None)


@pytest.mark.parametrize("child, parent_type", [
    ("regency", None), ("work_unit", None), ("province", "regency"), ("regency", "work_unit"),
    ("ministry", "province"), ("sub_unit", "regency"),
])
def test_refused_placements_name_the_parent_field(child, parent_type):
    with pytest.raises(AgencyRuleViolation) as raised:
        check_placement(child, agency(parent_type) if parent_type else None)
    assert raised.value.field == "parent_id"


def test_inactive_parent_is_refused():
    with pytest.raises(AgencyRuleViolation, match="inactive"):
        check_placement("regency", agency("province", status="inactive"))


def test_path_is_ancestors_root_first():
    assert path_under(None) == []
    assert path_under(agency("regency", path=["prov"], id_="reg")) == ["prov", "reg"]
