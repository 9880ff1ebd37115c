"""File rows of the bench: the LKjIP (PDF, DOCX) and the scorecard sheets of a regency with 40 work units, the
dry run of a filled-in reporting template of 40 units × 25 monthly indicators × 12 months, and how much an API
worker's memory grows while it makes them.

The regencies are written straight into the indicators database (as in the scorecard rows); the regency's
agreement is signed and its narratives written through the API, so the report has every chapter. Each file is
fetched through the real API, after one warm-up fetch; the figure is the median of five.

Memory: the peak resident set (VmHWM) of every indicators gunicorn worker is reset (clear_refs 5) once the
workers are warm, then read after the exports; the row gives the largest growth over the resident set at reset."""
from __future__ import annotations

import io
import statistics
import time
from pathlib import Path

import requests
from openpyxl import load_workbook

from services.indicators.consumers.scorecards import Scorer
from shared.messages import text
from tests.bench.report import Row
from tests.bench.scorecards import ADMIN, _agreement, _regency
from tests.bench.stores import repository_of
from tests.support.uploads import XLSX
from kinerja.testing.stack import Stack

UNITS = 40
MONTHLY = (("monthly", "average", "higher_is_better"),)
SAMPLES = 5


def _timed_get(stack: Stack, path: str) -> tuple[float, int]:
    """Median seconds of fetching `path` whole, and its size in bytes."""
    url = stack.url("indicators", path)
    requests.get(url, headers=ADMIN, timeout=60).raise_for_status()
    times, size = [], 0
    for _ in range(SAMPLES):
        started = time.monotonic()
        response = requests.get(url, headers=ADMIN, timeout=60)
        response.raise_for_status()
        times.append(time.monotonic() - started)
        size = len(response.content)
    return statistics.median(times), size


def _workers(stack: Stack) -> list[int]:
    master = stack.processes["indicators-api"].pid
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in children.read_text().split()] or [master]


def _status_mib(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} for process {pid}")


def _reset_peaks(pids: list[int]) -> dict[int, float]:
    """The resident set of each process, with its peak reset to it (Linux: clear_refs 5)."""
    for pid in pids:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    return {pid: _status_mib(pid, "VmRSS") for pid in pids}


def _report_regency(stack: Stack, repo) -> str:
    """The 40-unit regency with its 2025 cards computed, a signed agreement and the report's narratives."""
    regency, units, _ = _regency(repo, UNITS)
    scorer = Scorer(repo)
    scorer.marks.full.update((agency, "2025") for agency in [*units, regency])
    scorer.flush()
    _agreement(stack, regency)
    base = stack.url("indicators", f"/api/v1/agencies/{regency}/reports/2025/narratives")
    for chapter in ("summary", "introduction", "planning", "accountability", "closing"):
        requests.put(f"{base}/chapters/{chapter}", json={"text": "Uraian bab. " * 60}, headers=ADMIN,
                     timeout=10).raise_for_status()
    for indicator in repo.indicators.find({"agency_id": regency}):
        requests.put(f"{base}/indicators/{indicator['id']}", headers=ADMIN, timeout=10, json={
            "analysis": "Analisis capaian. " * 20, "supporting": "Faktor pendukung.", "hindering": "Penghambat.",
            "follow_up": "Tindak lanjut."}).raise_for_status()
    return regency


def _filled_template(stack: Stack, regency: str) -> tuple[bytes, int]:
    """The regency's reporting template of 2025, with a value in every row (as an operator fills it in)."""
    template = requests.get(stack.url("indicators", f"/api/v1/agencies/{regency}/templates/reporting.xlsx"),
                            params={"period": "2025"}, headers=ADMIN, timeout=120)
    template.raise_for_status()
    book = load_workbook(io.BytesIO(template.content))
    sheet = book[text("sheet.realisations")]
    column = next(cell.column for cell in sheet[1] if cell.value == text("col.realised"))
    rows = 0
    for row in sheet.iter_rows(min_row=2):
        sheet.cell(row=row[0].row, column=column, value=50 + row[0].row % 40)
        rows += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), rows


def _dry_run(stack: Stack, regency: str, data: bytes) -> tuple[float, dict]:
    started = time.monotonic()
    response = requests.post(stack.url("indicators", f"/api/v1/agencies/{regency}/templates/reporting"),
                             params={"period": "2025", "dry_run": "true"}, data=data, timeout=120,
                             headers={**ADMIN, "Content-Type": XLSX})
    elapsed = time.monotonic() - started
    response.raise_for_status()
    return elapsed, response.json()


def file_rows(stack: Stack) -> list[Row]:
    repo = repository_of(stack, "indicators")
    regency = _report_regency(stack, repo)
    reports = f"/api/v1/agencies/{regency}/reports/2025"
    workers = _workers(stack)
    for _ in range(3 * len(workers)):  # warm: the workers have rendered before the peaks are reset (fonts, imports)
        requests.get(stack.url("indicators", f"{reports}/lkjip.pdf"), headers=ADMIN, timeout=60).raise_for_status()
    idle = _reset_peaks(workers)

    rows = []
    budgets = (("lkjip.pdf", "LKjIP as PDF", 3.0), ("lkjip.docx", "LKjIP as DOCX", 1.0))
    for name, what, budget in budgets:
        seconds, size = _timed_get(stack, f"{reports}/{name}")
        rows.append(Row(f"{what} of a regency with {UNITS} work units (25 IKU, signed agreement with quarterly "
                        f"targets and 8 budget lines, narratives)", f"{seconds:.2f} s ({size / 1024:,.0f} KiB)",
                        budget=f"< {budget:g} s", passed=seconds < budget))
    sheets = (("scorecard.xlsx?period=2025", "scorecard XLSX (its indicators and its units, a sheet each)"),
              ("scorecard.csv?period=2025&sheet=units", "scorecard CSV of its units"))
    for path, what in sheets:
        seconds, size = _timed_get(stack, f"/api/v1/agencies/{regency}/{path}")
        rows.append(Row(f"{what}, the {UNITS}-unit regency", f"{seconds * 1000:.0f} ms ({size / 1024:,.0f} KiB)",
                        budget="< 1 s", passed=seconds < 1))

    monthly, _, _ = _regency(repo, UNITS, kinds=MONTHLY, years=("2024",))
    data, filled = _filled_template(stack, monthly)
    seconds, report = _dry_run(stack, monthly, data)
    rows.append(Row(f"dry run of a reporting template: {UNITS} units + the regency × 25 monthly indicators × 12 "
                    f"months ({filled:,} filled rows, {len(data) / 1024:,.0f} KiB)",
                    f"{seconds:.2f} s ({report['recorded']:,} to record, {report['unchanged']:,} unchanged)",
                    budget="< 10 s", passed=seconds < 10))

    growth = max(_status_mib(pid, "VmHWM") - idle[pid] for pid in workers)
    rows.append(Row("peak memory growth of an indicators API worker over its idle size, while making the files "
                    "above", f"{growth:.0f} MiB (idle {max(idle.values()):.0f} MiB)", budget="< 100 MiB",
                    passed=growth < 100))
    return rows
