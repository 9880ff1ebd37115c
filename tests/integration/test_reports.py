"""Reports and spreadsheets over HTTP on the real database: the LKjIP, the PK document and the scorecard
files read back, each number equal to the API's JSON for the same agency and year; the draft watermark until
the year is locked; the templates downloaded, filled, dry-run, applied and uploaded again (no new event, by
id); hostile uploads; and who may read or write each route."""
from __future__ import annotations

import csv
import io
import uuid

import pytest
from openpyxl import load_workbook

from shared import formats
from shared.contracts.reforms import ACTIVITY_COMPLETED
from shared.events.envelope import Event
from tests.conftest import auth_header
from tests.integration.indicators_support import (api, define, indicators_app, registry, repo,  # noqa: F401
                                                  run_worker, tree, verified)
from tests.support.fakes import pending_events
from tests.support.pump import deliver
from tests.support.uploads import XLSX, zip_bomb
from tests.unit.indicators.test_imports import _fill
from tests.unit.indicators.test_matrix import CALLERS, READERS, WRITERS
from tests.unit.reports.reading import docx_parts, pdf_pages, pdf_text

REGENT = {"name": "Drs. H. Anwar Sadat, M.Ag", "title": "Bupati Tanjung Jabung Barat"}


@pytest.fixture
def indicators_settings(settings_for):
    return settings_for("indicators", "rep_", KINERJA_MAX_UPLOAD_BYTES="200000")


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def year(api, tree, registry, run_worker):
    """Tanjabbar's 2025: two indicators of the regency with targets and verified values, a unit's indicator,
    a signed agreement with a budget, a completed reform activity linked to an indicator, narratives."""
    tree.set_head("tanjabbar", REGENT)
    regency = tree["tanjabbar"]
    ikm = define(api, regency, code="IKU-01", name="Indeks Kepuasan Masyarakat", frequency="quarterly",
                 aggregation="average", unit="indeks")
    rb = define(api, regency, code="IKU-02", name="Kegiatan reformasi terlaksana", unit="kegiatan", weight=2)
    for quarter, value in zip(("2025Q1", "2025Q2", "2025Q3", "2025Q4"), (76.5, 78.25, 80, 81.1)):
        verified(api, ikm, quarter, value)
    assert api.put(f"/api/v1/indicators/{ikm['id']}/targets/2025", json={"value": 85}).status_code == 200
    verified(api, rb, "2025", 11, target={"min": 10, "max": 12})
    unit = define(api, tree["pendidikan"], code="IKK-01")
    verified(api, unit, "2025", 64.4, target=80)
    body = {"agency_id": regency, "year": 2025, "place": "Kuala Tungkal", "superior": {"name": "Al Haris",
                                                                                       "title": "Gubernur Jambi"},
            "budget": [{"programme": "Program Penunjang Urusan Pemerintahan Daerah", "amount": 1250000000}],
            "objectives": [{"name": "Meningkatnya kualitas pelayanan publik", "indicators": [
                {"indicator_id": ikm["id"], "target": {"value": 85},
                 "quarterly_targets": {"Q1": {"value": 80}, "Q2": {"value": 82.5}}},
                {"indicator_id": rb["id"], "target": {"min": 10, "max": 12}}]}]}
    agreement = api.post("/api/v1/performance-agreements", json=body).get_json()
    assert api.post(f"/api/v1/performance-agreements/{agreement['id']}/sign",
                    headers={"If-Match": '"1"'}).status_code == 200
    activity = {"id": uuid.uuid4().hex, "title": "FGD Perubahan Pola Pikir", "kind": "fgd",
                "area": "manajemen_perubahan", "organiser_agency_id": regency, "status": "completed",
                "start": "2025-03-12T09:00:00+07:00", "end": "2025-03-12T15:00:00+07:00",
                "linked_indicator_ids": [rb["id"]], "participant_agency_ids": [], "attended": 22, "registered": 22}
    event = ACTIVITY_COMPLETED.build(source="reforms", subject=activity["id"], sequence=3,
                                     data={"activity": activity, "summary": "Sepakat", "outcomes": []})
    deliver(registry, [Event.from_dict(event.to_dict())])
    operator = auth_header("operator", regency, sub="operator@tanjabbar")
    base = f"/api/v1/agencies/{regency}/reports/2025/narratives"
    assert api.put(f"{base}/chapters/introduction", json={"text": "Kabupaten ini terdiri atas 13 kecamatan."},
                   headers=operator).status_code == 200
    assert api.put(f"{base}/indicators/{ikm['id']}", json={"analysis": "Naik karena layanan daring."},
                   headers=operator).status_code == 200
    run_worker()
    return {"regency": regency, "ikm": ikm, "rb": rb, "agreement": agreement["id"]}


def _card(api, agency_id):
    response = api.get(f"/api/v1/agencies/{agency_id}/scorecard?period=2025")
    assert response.status_code == 200
    return response.get_json()


def test_the_lkjip_holds_the_api_s_numbers_and_is_a_draft_until_the_year_is_locked(api, tree, year, run_worker):
    card = _card(api, year["regency"])
    response = api.get(f"/api/v1/agencies/{year['regency']}/reports/2025/lkjip.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith(f'attachment; filename="LKjIP-{card["agency"]["code"]}'
                                                              f'-2025-draf.pdf"')
    text = _flat(pdf_text(response.data))
    numbers = [formats.fixed(card["own"]["score"]), formats.fixed(card["rollup"]["score"])]
    for row in card["indicators"]:
        numbers += [formats.number(row["realised"]), formats.fixed(row["achievement"]), row["category"]["label"]]
    assert [n for n in numbers if n not in text] == []
    assert all("DRAF" in page for page in pdf_pages(response.data))
    for part in ("Bab I Pendahuluan", "Bab II Perencanaan Kinerja", "Bab III Akuntabilitas Kinerja", "Bab IV Penutup",
                 "Lampiran: Perjanjian Kinerja", "Kabupaten ini terdiri atas 13 kecamatan.",
                 "Analisis capaian: Naik karena layanan daring.", "FGD Perubahan Pola Pikir", "Rp1.250.000.000",
                 REGENT["name"], "pendidikan", "kesehatan"):  # its units, by name
        assert part in text, part
    body, tables, headers = docx_parts(api.get(f"/api/v1/agencies/{year['regency']}/reports/2025/lkjip.docx").data)
    cells = _flat(" ".join(c for t in tables for r in t for c in r))
    assert [n for n in numbers if n not in cells and n not in body] == [] and "DRAF" in headers
    evaluator = auth_header("evaluator", tree["jambi"], sub="evaluator@jambi")
    lock = api.post("/api/v1/period-locks", json={"agency_id": year["regency"], "period": "2025", "reason": "LKjIP"},
                    headers=evaluator)
    assert lock.status_code == 201
    final = api.get(f"/api/v1/agencies/{year['regency']}/reports/2025/lkjip.pdf")
    text = _flat(pdf_text(final.data))
    assert "DRAF" not in text and 'filename="LKjIP-' in final.headers["Content-Disposition"]
    assert "-draf" not in final.headers["Content-Disposition"]
    assert (f"Disusun dengan aturan penilaian versi {card['rulepack_version']} dan Perjanjian Kinerja "
            f"{year['agreement']} versi 1.") in text
    refused = api.put(f"/api/v1/agencies/{year['regency']}/reports/2025/narratives/chapters/closing",
                      json={"text": "terlambat"}, headers=auth_header("operator", year["regency"]))
    assert refused.status_code == 409 and refused.get_json()["type"].endswith("/period-locked")


def test_the_pk_document_and_the_scorecard_files(api, tree, year):
    response = api.get(f"/api/v1/performance-agreements/{year['agreement']}/document.pdf")
    assert response.status_code == 200 and "PK-" in response.headers["Content-Disposition"]
    text = _flat(pdf_text(response.data))
    for part in ("PERJANJIAN KINERJA TAHUN 2025", "Versi 1", "82,5", "10–12", "Rp1.250.000.000", "Al Haris",
                 REGENT["name"], "Kuala Tungkal, "):
        assert part in text, part
    card = _card(api, year["regency"])
    book = load_workbook(io.BytesIO(api.get(f"/api/v1/agencies/{year['regency']}/scorecard.xlsx?period=2025").data))
    assert book.sheetnames == ["Indikator", "Unit", "Peringkat"]
    sheet = book["Indikator"]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert {code: (r["Realisasi"], r["Capaian (%)"]) for code, r in rows.items()} == {
        r["code"]: (r["realised"], r["achievement"]) for r in card["indicators"]}
    assert sheet.freeze_panes == "A2"
    ranking = api.get(f"/api/v1/agencies/{year['regency']}/rankings?period=2025").get_json()
    ranked = [r for r in book["Peringkat"].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[1], r[4]) for r in ranked] == [(i["rank"], i["code"], i["score"]) for i in ranking["items"]]
    csv_response = api.get(f"/api/v1/agencies/{year['regency']}/scorecard.csv?period=2025")
    assert csv_response.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(csv_response.data.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:2] == ["Kode", "Indikator Kinerja"]
    assert {line[0]: line[11] for line in lines[1:]} == {
        r["code"]: formats.number(r["achievement"], 6).replace(".", "") for r in card["indicators"]}
    units = api.get(f"/api/v1/agencies/{year['regency']}/rankings.csv?period=2025")
    assert units.status_code == 200 and units.data.decode("utf-8-sig").startswith("Peringkat;Kode;Nama")


def test_a_reporting_template_round_trip_over_http(api, tree, repo):
    unit = tree["pendidikan"]
    indicator = define(api, unit, code="IKK-Q", frequency="quarterly")
    operator = auth_header("operator", unit, sub="operator@pendidikan")
    template = api.get(f"/api/v1/agencies/{unit}/templates/reporting.xlsx?period=2025", headers=operator)
    assert template.status_code == 200 and template.mimetype == XLSX
    filled = _fill(template.data, "Realisasi", {f"{indicator['id']}:2025Q1": {"Realisasi": 70, "Ajukan (Ya/Tidak)": "Ya"},
                                                f"{indicator['id']}:2025Q2": {"Realisasi": "tujuh"}})
    url = f"/api/v1/agencies/{unit}/templates/reporting?period=2025"
    bad = api.post(f"{url}&dry_run=true", data=filled, content_type=XLSX, headers=operator)
    assert bad.status_code == 422 and bad.content_type == "application/problem+json"
    assert bad.get_json()["cells"] == [{"sheet": "Realisasi", "row": 3, "column": "Realisasi",
                                        "reason": "'tujuh' bukan angka"}]
    filled = _fill(template.data, "Realisasi", {f"{indicator['id']}:2025Q1": {"Realisasi": 70, "Ajukan (Ya/Tidak)": "Ya"}})
    dry = api.post(f"{url}&dry_run=true", data=filled, content_type=XLSX, headers=operator).get_json()
    assert (dry["submitted"], dry["skipped"]) == (1, 3) and repo.realisations.count({"indicator_id": indicator["id"]}) == 0
    applied = api.post(url, data=filled, content_type=XLSX, headers=operator)
    assert applied.status_code == 200 and applied.get_json()["submitted"] == 1
    assert repo.realisations.get(f"{indicator['id']}:2025Q1")["status"] == "submitted"
    events = [e.id for e in pending_events(repo.realisations)]
    again = api.post(url, data=filled, content_type=XLSX, headers=operator).get_json()
    assert (again["unchanged"], again["submitted"], again["recorded"]) == (1, 0, 0)
    assert [e.id for e in pending_events(repo.realisations)] == events


@pytest.mark.parametrize("case, body, content_type, status, problem", [
    ("a CSV", b"code;name\n1;x\n", "text/csv", 415, "unsupported-media-type"),
    ("a PDF said to be XLSX", b"%PDF-1.7\n", XLSX, 415, "not-a-workbook"),
    ("JSON", b"[]", "application/json", 415, "unsupported-media-type"),
    ("larger than the upload limit", b"PK\x03\x04" + b"\0" * 250000, XLSX, 413, "body-too-large"),
    ("a zip bomb", None, XLSX, 413, "unpacked-too-large"),
])
def test_hostile_uploads_are_refused_and_write_nothing(api, tree, repo, case, body, content_type, status, problem):
    response = api.post(f"/api/v1/agencies/{tree['pendidikan']}/templates/reporting?period=2025",
                        data=zip_bomb() if body is None else body, content_type=content_type)
    assert response.status_code == status, response.get_json()
    assert response.content_type == "application/problem+json"
    assert response.get_json()["type"].endswith(f"/{problem}")


DOWNLOADS = ["reports/2025/lkjip.pdf", "reports/2025/lkjip.docx", "reports/2025/narratives", "scorecard.xlsx?period=2025",
             "scorecard.csv?period=2025", "rankings.xlsx?period=2025", "rankings.csv?period=2025",
             "templates/reporting.xlsx?period=2025", "templates/planning.xlsx?year=2025"]


@pytest.mark.parametrize("caller", list(CALLERS))
def test_every_download_is_read_as_the_data_inside(api, tree, caller):
    role, home = CALLERS[caller]
    headers = auth_header(role, tree[home] if home else "*")
    for path in DOWNLOADS:
        response = api.get(f"/api/v1/agencies/{tree['pendidikan']}/{path}", headers=headers)
        assert response.status_code == (200 if caller in READERS else 403), (path, response.get_json())


@pytest.mark.parametrize("caller", list(CALLERS))
def test_every_file_write_route_by_role_and_scope(api, tree, caller):
    unit = tree["pendidikan"]
    indicator = define(api, unit)
    role, home = CALLERS[caller]
    headers = auth_header(role, tree[home] if home else "*", sub=f"{caller.replace(' ', '-')}")
    expected = 200 if caller in WRITERS else 403
    base = f"/api/v1/agencies/{unit}/reports/2025/narratives"
    assert api.put(f"{base}/chapters/summary", json={"text": "Ringkas."}, headers=headers).status_code == expected
    assert api.put(f"{base}/indicators/{indicator['id']}", json={"supporting": "Dukungan."},
                   headers=headers).status_code == expected
    template = api.get(f"/api/v1/agencies/{unit}/templates/reporting.xlsx?period=2025").data
    response = api.post(f"/api/v1/agencies/{unit}/templates/reporting?period=2025&dry_run=true", data=template,
                        content_type=XLSX, headers=headers)
    assert response.status_code == expected, response.get_json()
    planning = api.get(f"/api/v1/agencies/{unit}/templates/planning.xlsx?year=2025").data
    response = api.post(f"/api/v1/agencies/{unit}/templates/planning?year=2025&dry_run=true", data=planning,
                        content_type=XLSX, headers=headers)
    assert response.status_code == expected, response.get_json()
