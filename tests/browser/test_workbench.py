"""The workbench's loops in a real browser on the real stack: an operator's realisation through draft, submit,
rejection with a reason, fix and resubmission to a second evaluator's verification and the scorecard's new
number; the four-eyes rule on screen and when forced; the seed's FGD run in the UI from plan to completion; and
the Perjanjian Kinerja drafted, signed and revised. Each test works on its own indicator or activity."""
from __future__ import annotations

import json
import uuid

from playwright.sync_api import expect

from tests.browser.support import (api_get, api_send, done, fresh_indicator, num, open_as, operator_of, ready, shot, tab,
                                   token, words)
from tests.support.kafka_tools import unique
from tests.support.wait import wait_for


def entry_row(page, indicator: dict, period: str = "2025"):
    return page.locator(f"#entries tr[data-entry='{indicator['id']}:{period}']")


def counts(stack, agency_id: str) -> dict:
    return api_get(stack, "indicators", f"/api/v1/agencies/{agency_id}/data-quality?period=2025")["counts"]


def test_the_operator_and_two_evaluators_take_a_realisation_from_draft_to_verified(stack, demo, dashboard, new_page):
    unit = demo["units"]["1506.11"]
    indicator = fresh_indicator(stack, unit["id"], unique("IKU-WB"), target=100)
    operator = new_page()
    open_as(operator, dashboard, token(stack, "operator", unit["id"], "operator@dinkes"))
    expect(operator.locator("#view")).to_have_attribute("data-view", "entry")  # an operator starts at data entry
    expect(operator.locator("#e-missing")).to_have_text(num(counts(stack, unit["id"])["missing"]))
    row = entry_row(operator, indicator)
    expect(row).to_have_attribute("data-status", "missing")
    operator.select_option("#e-show", "todo")  # what needs the operator: no verified row left on screen
    shown = operator.locator("#entries tr[data-entry]:visible")
    assert set(shown.evaluate_all("rows => rows.map(r => r.dataset.status)")) <= {"missing", "draft", "rejected"}
    expect(row).to_be_visible()

    row.locator("button.edit").click()
    expect(operator.locator("#editor-title")).to_be_focused()
    operator.fill("#f-value", "85,5")
    operator.fill("#f-evidence", "Laporan survei | https://dinkes.tanjabbarkab.go.id/survei-2025.pdf")
    operator.fill("#f-note", "Survei semester II")
    operator.click("#save-draft")
    done(operator, "entry.saved", "entry", code=indicator["code"])
    expect(entry_row(operator, indicator)).to_have_attribute("data-status", "draft")
    expect(operator.locator("#e-draft")).to_have_text(num(counts(stack, unit["id"])["draft"]))
    saved = api_get(stack, "indicators", f"/api/v1/indicators/{indicator['id']}/realisations/2025")
    assert (saved["value"], saved["note"], saved["evidence"]) == (85.5, "Survei semester II", [
        {"title": "Laporan survei", "link": "https://dinkes.tanjabbarkab.go.id/survei-2025.pdf"}])
    entry_row(operator, indicator).locator("button.submit").click()
    done(operator, "entry.submitted", "entry", code=indicator["code"])
    expect(entry_row(operator, indicator)).to_have_attribute("data-status", "submitted")

    first = new_page()
    open_as(first, dashboard, token(stack, "evaluator", demo["regency"]["id"], "inspektur-a@tanjabbar"))
    expect(first.locator("#view")).to_have_attribute("data-view", "queue")
    item = first.locator(f"#queue li[data-realisation='{indicator['id']}:2025']")
    expect(item).to_contain_text("85,5")
    expect(item.locator("a")).to_have_attribute("href", "https://dinkes.tanjabbarkab.go.id/survei-2025.pdf")
    item.locator("button.reject").click()  # no reason yet: refused on the page, nothing sent
    expect(item.locator(".result")).to_have_text(words("queue.reason_needed"))
    item.locator("input[name=reason]").fill("Bukti survei belum ditandatangani kepala dinas")
    item.locator("button.reject").click()
    done(first, "queue.rejected", "queue", code=indicator["code"])
    expect(first.locator(f"#queue li[data-realisation='{indicator['id']}:2025']")).to_have_count(0)

    rejected_before = int(operator.locator("#e-rejected").inner_text().replace(".", ""))
    operator.reload()
    ready(operator, "entry")
    row = entry_row(operator, indicator)
    expect(row).to_have_attribute("data-status", "rejected")
    expect(row.locator(".reason")).to_have_text("Ditolak: Bukti survei belum ditandatangani kepala dinas")
    expect(operator.locator("#e-rejected")).to_have_text(num(counts(stack, unit["id"])["rejected"]))
    assert int(operator.locator("#e-rejected").inner_text().replace(".", "")) == rejected_before + 1
    row.locator("button.edit").click()
    expect(operator.locator("#editor-reason")).to_contain_text("belum ditandatangani")
    row.scroll_into_view_if_needed()
    shot(operator, "workbench-entry")
    expect(operator.locator("#f-value")).to_have_value("85,5")
    operator.fill("#f-value", "90")
    operator.click("#save-submit")
    done(operator, "entry.submitted", "entry", code=indicator["code"])
    expect(entry_row(operator, indicator)).to_have_attribute("data-status", "submitted")

    second = new_page()
    open_as(second, dashboard, token(stack, "evaluator", demo["regency"]["id"], "inspektur-b@tanjabbar"))
    second.locator(f"#queue li[data-realisation='{indicator['id']}:2025'] button.verify").click()
    done(second, "queue.verified", "queue", code=indicator["code"])
    verified = api_get(stack, "indicators", f"/api/v1/indicators/{indicator['id']}/realisations/2025")
    assert (verified["status"], verified["value"], verified["verified_by"]) == ("verified", 90, "inspektur-b@tanjabbar")
    assert [h["action"] for h in verified["history"]] == ["record", "submit", "reject", "record", "submit", "verify"]

    card = lambda: api_get(stack, "indicators", f"/api/v1/agencies/{unit['id']}/scorecard?period=2025")  # noqa: E731
    wait_for(lambda: any(i["indicator_id"] == indicator["id"] and i["realised"] == 90 for i in card()["indicators"]),
             timeout=60, message="the unit's scorecard with the verified realisation")
    line = next(i for i in card()["indicators"] if i["indicator_id"] == indicator["id"])
    tab(operator, "scorecard")
    row = operator.locator(f"#indicators tr[data-indicator='{indicator['id']}']")
    expect(row.locator(".achievement")).to_have_text(f"{num(line['achievement'])}%")
    expect(row.locator(".status")).to_have_text("Terverifikasi")
    shot(operator, "workbench-scorecard")


def test_an_evaluator_is_not_offered_their_own_submission_and_the_api_refuses_it_when_forced(stack, demo, dashboard, page):
    unit = demo["units"]["1506.16"]
    indicator = fresh_indicator(stack, unit["id"], unique("IKU-4E"))
    same = "kasubbag@diskominfo"
    base = f"/api/v1/indicators/{indicator['id']}/realisations/2025"
    api_send(stack, "indicators", "PUT", base, {"value": 70}, headers=operator_of(stack, unit["id"], same))
    api_send(stack, "indicators", "POST", f"{base}/submit", headers=operator_of(stack, unit["id"], same))
    open_as(page, dashboard, token(stack, "evaluator", unit["id"], same))
    item = page.locator(f"#queue li[data-realisation='{indicator['id']}:2025']")
    expect(item).to_have_attribute("data-own", "true")
    expect(item.locator(".own")).to_have_text(words("queue.own"))
    expect(item.locator("button.verify")).to_have_count(0)
    shot(page, "workbench-queue")

    # Forced: the page is told it is someone else, so it offers the action; the API still refuses it.
    page.route("**/api/v1/me", lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(
        {"sub": "someone-else", "role": "evaluator", "agency_id": unit["id"]})))
    page.reload()
    ready(page, "queue")
    item.locator("button.verify").click()
    expect(item.locator(".error")).to_have_attribute("data-problem", "own-submission")
    expect(item.locator(".error")).to_have_text(words("problem.own-submission"))
    assert api_get(stack, "indicators", base)["status"] == "submitted"


def test_the_seeds_fgd_runs_in_the_ui_from_plan_to_completion(stack, demo, dashboard, page):
    regency = demo["regency"]["id"]
    fed = api_get(stack, "indicators", f"/api/v1/indicators?agency_id={regency}&q=IKU-RB-01")["items"][0]
    count_before = api_get(stack, "indicators", f"/api/v1/indicators/{fed['id']}/realisations/2025")["value"]
    total_before = api_get(stack, "reforms", f"/api/v1/agencies/{regency}/reform-summary?year=2025")["rollup"]["activities"]["total"]
    title = f"FGD Budaya Kerja Baru Angkatan II {uuid.uuid4().hex[:6]}"
    open_as(page, dashboard, token(stack, "operator", regency, "reform-officer@tanjabbar"), "activities")
    page.click("#plan-panel summary")
    page.fill("#plan-form input[name=title]", title)
    page.select_option("#plan-form select[name=kind]", "fgd")
    page.select_option("#plan-form select[name=area]", "manajemen_perubahan")
    page.fill("#plan-form input[name=start]", "2025-03-10T08:00")
    page.fill("#plan-form input[name=end]", "2025-03-10T16:00")
    page.fill("#plan-form input[name=facilitator]", "Lembaga Administrasi Negara")
    page.fill("#plan-form input[name=planned]", "22")
    page.check(f"#plan-form input[name=linked][value='{fed['id']}']")
    page.click("#plan-form button[type=submit]")
    done(page, "activities.planned", "activities", title=title)
    activity = next(a for a in api_get(stack, "reforms", f"/api/v1/activities?agency_id={regency}&subtree=false&q=Angkatan"
                                       "&page_size=100")["items"] if a["title"] == title)
    assert (activity["status"], activity["start"], activity["linked_indicators"][0]["id"]) == (
        "planned", "2025-03-10T08:00:00+07:00", fed["id"])  # typed in WIB, sent with its offset
    page.click(f"#my-activities tr[data-activity='{activity['id']}'] button.open")
    expect(page.locator("#activity-title")).to_be_focused()
    leaders = [(u["head"]["name"], f"Kepala {u['name']}", code) for code, u in sorted(demo["units"].items())
               if u.get("head")]
    assert len(leaders) == 22
    page.fill("#register-list textarea", "\n".join("\t".join(leader) if n % 2 else "; ".join(leader)
                                                   for n, leader in enumerate(leaders)))
    page.click("#register-list button")
    done(page, "activities.registered", "activities", n=22)
    expect(page.locator("#participants tr[data-participant]")).to_have_count(22)
    page.click("#act-start")
    done(page, "activities.started", "activities")
    expect(page.locator("#activity-status")).to_have_attribute("data-status", "in_progress")
    absent = ["Maya Sari", "Taufik Ismail"]
    page.click("#mark-all")
    for name in absent:
        page.locator("#participants tr", has_text=name).locator("input.present").uncheck()
    page.click("#save-attendance")
    done(page, "activities.attendance_saved", "activities", n=20)
    expect(page.locator("#activity-status")).to_contain_text("22 terdaftar, 20 hadir")
    page.fill("#complete-form textarea[name=summary]", "Pimpinan SKPD menyepakati rencana aksi budaya kerja.")
    page.fill("#complete-form textarea[name=outcomes]", "Rencana aksi per SKPD\nApel nilai dasar ASN bulanan")
    page.click("#complete-form button")
    done(page, "activities.completed", "activities")
    expect(page.locator("#activity-status")).to_have_attribute("data-status", "completed")
    page.fill("#follow-up-new input[name=action]", "Melaporkan rencana aksi kepada LAN")
    page.select_option("#follow-up-new select[name=owner]", demo["units"]["1506.01"]["id"])
    page.fill("#follow-up-new input[name=due]", "2025-04-30")
    page.click("#follow-up-new button")
    done(page, "activities.follow_up_added", "activities")
    expect(page.locator("#follow-ups li[data-follow-up]")).to_have_count(1)
    shot(page, "workbench-activity")

    finished = api_get(stack, "reforms", f"/api/v1/activities/{activity['id']}")
    assert (finished["status"], finished["registered"], finished["attended"], finished["outcomes"]) == (
        "completed", 22, 20, ["Rencana aksi per SKPD", "Apel nilai dasar ASN bulanan"])
    people = api_get(stack, "reforms", f"/api/v1/activities/{activity['id']}/participants")["items"]
    assert sorted(p["name"] for p in people if not p["attended"]) == sorted(absent)
    follow_up = api_get(stack, "reforms", f"/api/v1/activities/{activity['id']}/follow-ups")[0]
    assert (follow_up["action"], follow_up["due"], follow_up["owner_agency_id"]) == (
        "Melaporkan rencana aksi kepada LAN", "2025-04-30", demo["units"]["1506.01"]["id"])

    tab(page, "reform")
    expect(page.locator("#r-total")).to_have_text(num(total_before + 1))
    expect(page.locator(f"#activities tr[data-activity='{activity['id']}'] .status")).to_have_text("Selesai")
    wait_for(lambda: api_get(stack, "indicators", f"/api/v1/indicators/{fed['id']}/realisations/2025")["value"]
             == count_before + 1, timeout=60, message="the fed indicator counting the new FGD")
    tab(page, "entry")
    expect(page.locator(f"#entries tr[data-entry='{fed['id']}:2025'] td.num")).to_have_text(num(count_before + 1))


def test_the_agreement_is_drafted_signed_and_revised_in_the_ui(stack, demo, dashboard, page):
    unit = demo["units"]["1506.19"]
    indicator = fresh_indicator(stack, unit["id"], unique("IKU-PK"), target=None)
    open_as(page, dashboard, token(stack, "operator", unit["id"], "perencana@perikanan"), "planning")
    page.fill("#period", "2026")
    page.dispatch_event("#period", "change")
    expect(page.locator("#view .view-title")).to_have_text("Perencanaan · 2026")
    ready(page, "planning")
    expect(page.locator("#agreement")).to_have_attribute("data-status", "none")
    row = page.locator(f"#targets tr[data-indicator='{indicator['id']}']")
    row.locator("input.target").fill("1.250")
    row.locator("button.save-target").click()
    done(page, "planning.target_saved", "planning", code=indicator["code"])
    assert api_get(stack, "indicators", f"/api/v1/indicators/{indicator['id']}")["targets"]["2026"]["value"] == 1250

    page.fill("#pk-draft input[name=objective]", "Meningkatnya produksi perikanan budidaya")
    page.check(f"#pk-draft input[name=indicator][value='{indicator['id']}']")
    page.fill("#pk-draft textarea[name=budget]", "Program Pengelolaan Perikanan Budidaya | 1.250.000.000")
    page.fill("#pk-draft input[name=place]", "Kuala Tungkal")
    page.click("#pk-draft button[type=submit]")
    done(page, "planning.drafted", "planning")
    expect(page.locator("#agreement")).to_have_attribute("data-status", "draft")
    expect(page.locator("#pk-state")).to_have_text("Draf")
    page.click("#pk-sign")
    done(page, "planning.signed", "planning")
    expect(page.locator("#agreement")).to_have_attribute("data-status", "signed")
    expect(page.locator("#pk-state")).to_have_text("Ditandatangani · versi 1")

    page.locator(f"#pk-indicators tr[data-indicator='{indicator['id']}'] input.revised").fill("1.400")
    page.fill("#pk-revise input[name=reason]", "Refocusing anggaran sesuai Perubahan APBD 2026")
    page.click("#pk-revise button")
    done(page, "planning.revised", "planning")
    expect(page.locator("#pk-state")).to_have_text("Ditandatangani · versi 2")
    expect(page.locator("#pk-history")).to_contain_text("Refocusing anggaran sesuai Perubahan APBD 2026")
    shot(page, "workbench-agreement")
    agreement = api_get(stack, "indicators", f"/api/v1/performance-agreements?agency_id={unit['id']}&year=2026")["items"][0]
    assert (agreement["status"], agreement["version_in_force"]) == ("signed", 2)
    assert agreement["in_force"]["objectives"][0]["indicators"][0]["target"]["value"] == 1400
    assert agreement["in_force"]["budget"] == [{"programme": "Program Pengelolaan Perikanan Budidaya", "amount": 1250000000}]
    assert [h["action"] for h in agreement["history"]] == ["draft", "sign", "revise"]


def test_the_operator_downloads_the_template_and_reports_and_tries_an_upload(stack, demo, dashboard, page, tmp_path):
    unit = demo["units"]["1506.12"]
    open_as(page, dashboard, token(stack, "operator", unit["id"], "operator@pupr"))
    files = {}
    for label, name in (("Unduh templat realisasi (XLSX)", "templat-realisasi-2025.xlsx"), ("LKjIP (PDF)", "LKjIP-2025.pdf"),
                        ("Kartu kinerja (CSV)", "kartu-kinerja-2025.csv")):
        with page.expect_download() as download:
            page.get_by_role("button", name=label).click()
        assert download.value.suggested_filename == name
        files[name] = tmp_path / name
        download.value.save_as(files[name])
    assert files["templat-realisasi-2025.xlsx"].read_bytes()[:2] == b"PK"
    assert files["LKjIP-2025.pdf"].read_bytes()[:5] == b"%PDF-"
    assert files["kartu-kinerja-2025.csv"].read_bytes()[:3] == b"\xef\xbb\xbf"  # the BOM a spreadsheet program wants
    page.set_input_files("#upload-file", str(files["templat-realisasi-2025.xlsx"]))
    page.click("#upload-check")  # the template as downloaded: every row as recorded, nothing to save
    summary = page.locator("#upload-summary")
    expect(summary).to_contain_text("0 akan disimpan sebagai draf, 0 diajukan")
    expect(summary).to_contain_text("Belum ada yang disimpan.")
    page.set_input_files("#upload-file", str(files["LKjIP-2025.pdf"]))
    page.click("#upload-check")  # not a workbook: the API's 415, in Indonesian
    expect(page.locator("#upload-result .error")).to_have_text(words("problem.not-a-workbook"))


def test_the_admin_edits_the_registry_and_locks_a_period_the_operator_then_cannot_write(stack, demo, dashboard, new_page):
    unit = demo["units"]["1506.14"]
    admin = new_page()
    open_as(admin, dashboard, token(stack, "admin", "*", "admin@kemenpan"), "admin", agency=unit["id"])
    form = admin.locator("#agency-form")
    form.locator("input[name=short_name]").fill("Dinsos Tanjabbar")
    form.locator("input[name=reason]").fill("Nama singkat resmi")
    form.locator("button").click()
    done(admin, "admin.saved", "admin")
    assert api_get(stack, "agencies", f"/api/v1/agencies/{unit['id']}")["short_name"] == "Dinsos Tanjabbar"
    code = unique("1506.14.")[:20]
    admin.fill("#unit-form input[name=code]", code)
    admin.fill("#unit-form input[name=name]", "Bidang Rehabilitasi Sosial")
    admin.select_option("#unit-form select[name=type]", "sub_unit")
    admin.click("#unit-form button")
    done(admin, "admin.registered", "admin")
    expect(admin.locator("#units")).to_contain_text("Bidang Rehabilitasi Sosial")

    indicator = fresh_indicator(stack, unit["id"], unique("IKU-LOCK"))
    admin.fill("#lock-form input[name=period]", "2025")
    admin.fill("#lock-form input[name=reason]", "LKjIP 2025 disusun")
    admin.click("#lock-form button")
    done(admin, "locks.done", "admin")
    lock = next(l for l in api_get(stack, "indicators", f"/api/v1/period-locks?agency_id={unit['id']}") if l["locked"])
    try:
        operator = new_page()
        open_as(operator, dashboard, token(stack, "operator", unit["id"], "operator@dinsos"))
        row = entry_row(operator, indicator)
        expect(row).to_contain_text("periode dikunci")
        expect(row.locator("button.edit")).to_have_count(0)
        shot(admin, "workbench-admin")
    finally:
        admin.fill("#lock-form input[name=reason]", "Perbaikan data")
        admin.locator(f"#locks tr[data-lock='{lock['id']}'] button.unlock").click()
        done(admin, "locks.undone", "admin")
    operator.reload()
    ready(operator, "entry")
    expect(entry_row(operator, indicator).locator("button.edit")).to_have_count(1)
