"""Bulk import over real MongoDB: JSON, CSV and XLSX, parents anywhere in the file, dry runs, all-or-nothing
validation and idempotent re-runs."""
from __future__ import annotations

import io
import json
import uuid
from pathlib import Path

import pytest

from openpyxl import Workbook

from services.agencies.adapters.documents import Agency
from shared.audit import AuditRecord
from tests.conftest import auth_header
from tests.support.kafka_tools import unique
from tests.support.relay import relay_audit_records
from tests.support.db import coll
from tests.support.uploads import XLSX, zip_bomb

DEMO = Path(__file__).resolve().parents[2] / "deploy" / "local" / "demo" / "tanjabbar.csv"


def regency_file(prefix: str, units: int = 22, parents_last: bool = True) -> str:
    """A province, a regency and `units` work units, children listed before their parents."""
    lines = [f"{prefix}.{i:02d},Dinas {i} {prefix},work_unit,{prefix}.R,,,," for i in range(1, units + 1)]
    parents = [f"{prefix}.R,Pemkab {prefix},regency,{prefix}.P,,Bupati {prefix},Sekretaris Daerah,",
               f"{prefix}.P,Provinsi {prefix},province,,,,,"]
    body = lines + parents if parents_last else parents[::-1] + lines
    return "code,name,type,parent_code,short_name,head_name,head_title,address\n" + "\n".join(body) + "\n"


def post_csv(client, text, dry_run=False, headers=None):
    return client.post(f"/api/v1/agencies/import{'?dry_run=true' if dry_run else ''}", data=text.encode(),
                       content_type="text/csv", headers=headers or {})


def agency_count(prefix):
    return coll(Agency).count_documents({"code": {"$regex": f"^{prefix}\\."}})


def pending_events(prefix):
    return sum(len(d["outbox"]) for d in coll(Agency).find({"code": {"$regex": f"^{prefix}\\."}}, {"outbox": 1}))


def test_a_regency_with_22_units_listed_before_their_parents(client):
    prefix = unique("IMP").replace("-", "")
    response = post_csv(client, regency_file(prefix))
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert (report["created"], report["updated"], report["unchanged"]) == (24, 0, 0)
    assert agency_count(prefix) == 24
    regency = coll(Agency).find_one({"code": f"{prefix}.R"})
    province = coll(Agency).find_one({"code": f"{prefix}.P"})
    assert regency["head"] == {"name": f"Bupati {prefix}", "title": "Sekretaris Daerah"}
    unit = coll(Agency).find_one({"code": f"{prefix}.07"})
    assert unit["path"] == [province["_id"], regency["_id"]] and unit["parent_id"] == regency["_id"]
    assert pending_events(prefix) == 24  # one `registered` event each
    relay_audit_records()
    assert coll(AuditRecord).count_documents({"entity_id": unit["_id"], "action": "register"}) == 1


def test_dry_run_reports_and_writes_and_emits_nothing(client):
    prefix = unique("DRY").replace("-", "")
    audit_before = coll(AuditRecord).count_documents({})
    response = post_csv(client, regency_file(prefix, units=3), dry_run=True)
    assert response.status_code == 200
    report = response.get_json()
    assert report["dry_run"] is True and report["created"] == 5
    assert {row["outcome"] for row in report["rows"]} == {"created"}
    assert agency_count(prefix) == 0
    assert coll(AuditRecord).count_documents({}) == audit_before


def test_one_bad_row_rejects_the_file_with_every_error_listed(client):
    prefix = unique("BAD").replace("-", "")
    text = regency_file(prefix, units=3) + "\n".join([
        f"{prefix}.X1,,work_unit,{prefix}.R,,,,",                 # line 7: no name
        f"{prefix}.X2,Dinas,work_unit,{prefix}.NOPE,,,,",         # line 8: unknown parent
        f"{prefix}.X3,Dinas,regency,{prefix}.R,,,,",              # line 9: regency under a regency
        f"{prefix}.01,Again,work_unit,{prefix}.R,,,,",            # line 10: duplicate code
        f"{prefix}.X4,Dinas,work_unit,{prefix}.R,,Only Name,,",   # line 11: half a head
    ]) + "\n"
    response = post_csv(client, text)
    assert response.status_code == 422
    problem = response.get_json()
    assert [row["line"] for row in problem["rows"]] == [7, 8, 9, 10, 11]
    reasons = {row["line"]: " ".join(row["errors"]) for row in problem["rows"]}
    assert "name" in reasons[7] and "NOPE" in reasons[8] and "cannot sit under" in reasons[9]
    assert "line 2" in reasons[10] and "head" in reasons[11]
    assert agency_count(prefix) == 0


def test_a_second_identical_import_changes_and_emits_nothing(client):
    prefix = unique("TWICE").replace("-", "")
    text = regency_file(prefix, units=5)
    assert post_csv(client, text).status_code == 200
    versions = {d["code"]: d["version"] for d in coll(Agency).find({"code": {"$regex": f"^{prefix}\\."}})}
    events = pending_events(prefix)
    again = post_csv(client, text).get_json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 7)
    assert {d["code"]: d["version"] for d in coll(Agency).find({"code": {"$regex": f"^{prefix}\\."}})} == versions
    assert pending_events(prefix) == events


def test_a_changed_name_is_an_update_with_its_event(client):
    prefix = unique("UPD").replace("-", "")
    assert post_csv(client, regency_file(prefix, units=2)).status_code == 200
    changed = regency_file(prefix, units=2).replace(f"Dinas 1 {prefix}", f"Dinas Satu {prefix}")
    report = post_csv(client, changed).get_json()
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 3)
    doc = coll(Agency).find_one({"code": f"{prefix}.01"})
    assert doc["name"] == f"Dinas Satu {prefix}" and doc["version"] == 2
    assert doc["outbox"][-1]["event"]["type"] == "kinerja.agency.updated.v1"


def test_json_rows_work_like_csv_and_bad_shapes_are_422(client):
    prefix = unique("JSON").replace("-", "")
    rows = [{"code": f"{prefix}.U", "name": "Dinas", "type": "work_unit", "parent_code": f"{prefix}.P"},
            {"code": f"{prefix}.P", "name": "Provinsi", "type": "province", "notes": "ignored column"}]
    response = client.post("/api/v1/agencies/import", json=rows)
    assert response.status_code == 200 and response.get_json()["created"] == 2
    assert client.post("/api/v1/agencies/import", json={"code": "x"}).status_code == 422
    assert client.post("/api/v1/agencies/import", json=["not an object"]).status_code == 422
    assert post_csv(client, "name,type\nx,province\n").status_code == 422
    assert client.post("/api/v1/agencies/import", data=b"\xff\xfe", content_type="text/csv").status_code == 400


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Perangkat Daerah"  # any name: the first sheet is read
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def post_xlsx(client, data, dry_run=False):
    return client.post(f"/api/v1/agencies/import{'?dry_run=true' if dry_run else ''}", data=data, content_type=XLSX)


def test_an_excel_workbook_imports_like_the_csv_and_again_changes_nothing(client):
    prefix = unique("XLSX").replace("-", "")
    header = ["code", "name", "type", "parent_code", "head_name", "head_title", "catatan"]
    rows = [header,
            [f"{prefix}.01", "Dinas Pendidikan", "work_unit", f"{prefix}.R", None, None, "kolom lain diabaikan"],
            [None, None, None, None, None, None, None],  # an empty row in the middle is skipped
            [f"{prefix}.R", "Pemkab", "regency", f"{prefix}.P", "H. Anwar Sadat", "Bupati", None],
            [f"{prefix}.P", "Provinsi", "province", None, None, None, None]]
    dry = post_xlsx(client, workbook(rows), dry_run=True)
    assert dry.status_code == 200 and dry.get_json()["created"] == 3 and agency_count(prefix) == 0
    report = post_xlsx(client, workbook(rows)).get_json()
    assert [(row["line"], row["code"], row["outcome"]) for row in report["rows"]] == [
        (2, f"{prefix}.01", "created"), (4, f"{prefix}.R", "created"), (5, f"{prefix}.P", "created")]
    assert coll(Agency).find_one({"code": f"{prefix}.R"})["head"] == {"name": "H. Anwar Sadat", "title": "Bupati"}
    events = pending_events(prefix)
    again = post_xlsx(client, workbook(rows)).get_json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert pending_events(prefix) == events


def test_a_code_typed_as_a_number_reads_as_its_digits(client):
    code = 10**9 + uuid.uuid4().int % 10**9  # ten digits, not yet in the registry
    response = post_xlsx(client, workbook([["code", "name", "type"], [code, "Provinsi Angka", "province"]]))
    assert response.status_code == 200, response.get_json()
    assert coll(Agency).find_one({"code": str(code)})["name"] == "Provinsi Angka"


def test_bad_workbooks_are_refused_and_import_nothing(client):
    prefix = unique("XBAD").replace("-", "")
    no_code = post_xlsx(client, workbook([["kode", "nama"], [f"{prefix}.P", "Provinsi"]]))
    assert no_code.status_code == 422 and "code" in no_code.get_json()["detail"]
    bad_row = post_xlsx(client, workbook([["code", "name", "type"], [f"{prefix}.P", "Provinsi", "province"],
                                          [f"{prefix}.U", None, "work_unit"]]))
    assert bad_row.status_code == 422 and [row["line"] for row in bad_row.get_json()["rows"]] == [3]
    not_a_workbook = post_xlsx(client, b"%PDF-1.7\n")
    assert not_a_workbook.status_code == 415 and not_a_workbook.get_json()["type"].endswith("not-a-workbook")
    bomb = post_xlsx(client, zip_bomb())
    assert bomb.status_code == 413 and bomb.get_json()["type"].endswith("unpacked-too-large")
    other = client.post("/api/v1/agencies/import", data=b"%PDF-1.7", content_type="application/pdf")
    assert other.status_code == 415
    assert agency_count(prefix) == 0


def test_an_operator_imports_only_under_their_own_subtree(client):
    prefix = unique("SCOPE").replace("-", "")
    assert post_csv(client, regency_file(prefix, units=1)).status_code == 200
    regency = coll(Agency).find_one({"code": f"{prefix}.R"})
    own = f"code,name,type,parent_code\n{prefix}.N1,Dinas Baru,work_unit,{prefix}.R\n"
    operator = auth_header("operator", regency["_id"])
    assert post_csv(client, own, headers=operator).status_code == 200
    elsewhere = f"code,name,type,parent_code\n{prefix}.N2,Provinsi Baru,province,\n"
    assert post_csv(client, elsewhere, headers=operator).status_code == 403
    assert coll(Agency).count_documents({"code": f"{prefix}.N2"}) == 0


def test_the_demo_file_loads_and_is_idempotent(client):
    first = post_csv(client, DEMO.read_text())
    assert first.status_code == 200, first.get_json()
    second = post_csv(client, DEMO.read_text()).get_json()
    assert second["created"] == 0 and second["updated"] == 0 and second["unchanged"] == 26
    regency = coll(Agency).find_one({"code": "1506"})
    assert coll(Agency).count_documents({"parent_id": regency["_id"], "type": "work_unit"}) == 22


@pytest.mark.parametrize("units", [1000])
def test_thousands_of_rows_import_in_seconds(client, units):
    import time
    prefix = unique("BULK").replace("-", "")
    started = time.monotonic()
    response = post_csv(client, regency_file(prefix, units=units))
    elapsed = time.monotonic() - started
    assert response.status_code == 200, json.dumps(response.get_json())[:500]
    assert response.get_json()["created"] == units + 2
    assert elapsed < 60  # a guard against pathological slowness; `make bench` measures the real figure
