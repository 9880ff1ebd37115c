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


def test_every_error_response_is_documented_as_problem_json(spec):
    responses = spec["components"]["responses"]
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "patch", "put", "delete"):
                continue
            for status, response in op["responses"].items():
                if status != "default" and int(status) < 400:
                    continue
                if "$ref" in response:
                    response = responses[response["$ref"].rsplit("/", 1)[-1]]
                assert list(response["content"]) == ["application/problem+json"], (method, path, status)
                assert response["content"]["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"}
            assert {"401", "403", "422"} <= set(op["responses"]), (method, path)


def test_the_bearer_scheme_is_declared_for_every_operation(spec):
    assert spec["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer",
                                                               "bearerFormat": "JWT"}
    assert spec["security"] == [{"bearer": []}]


def test_if_match_is_declared_where_it_is_required_with_its_428(spec):
    patch = spec["paths"]["/api/v1/agencies/{agency_id}"]["patch"]
    [if_match] = [p for p in patch["parameters"] if p["name"] == "If-Match"]
    assert if_match["in"] == "header" and if_match["required"] is True
    assert {"412", "428"} <= set(patch["responses"])
    move = spec["paths"]["/api/v1/agencies/{agency_id}/move"]["post"]
    assert [p["required"] for p in move["parameters"] if p["name"] == "If-Match"] == [False]
