"""The OpenAPI document is what dashboard developers read: every operation must be described."""
import pytest


@pytest.fixture
def spec(anonymous):
    return anonymous.get("/api/v1/openapi.json").get_json()


def test_every_operation_has_a_summary_and_documented_errors(spec):
    operations = [(path, method, op) for path, item in spec["paths"].items() for method, op in item.items()
                  if method in ("get", "post", "patch", "put", "delete")]
    assert len(operations) >= 12
    for path, method, op in operations:
        assert op.get("summary"), f"{method.upper()} {path} has no summary"
        assert "200" in op["responses"] or "201" in op["responses"], f"{method.upper()} {path}"


def test_write_bodies_carry_examples(spec):
    create = spec["paths"]["/api/v1/agencies"]["post"]["requestBody"]["content"]["application/json"]
    assert create.get("example") or create.get("examples")
    imports = spec["paths"]["/api/v1/agencies/import"]["post"]["requestBody"]["content"]
    assert {"application/json", "text/csv"} <= set(imports)
    schemas = spec["components"]["schemas"]
    assert schemas["Head"]["properties"]["title"]["example"] == "Sekretaris Daerah"
    assert "example" in schemas["StatusChange"]["properties"]["reason"]
