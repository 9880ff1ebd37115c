"""The page's formats (dashboard/static/js/i18n.js, run by Node) agree with the services' (shared.formats, which
the reports, sheets and uploads use): a number typed on the page is read as an uploaded cell is, and a number or a
date is written as the LKjIP writes it."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from shared.formats import day, number, parse_number

I18N = Path(__file__).resolve().parents[2] / "dashboard" / "static" / "js" / "i18n.js"
TYPED = ["1.250", "1.234,5", "78,89", "78.89", "1250", "0.125", "-1.250", "12.345.678", "1.5", ".5", "abc", "", "1,2,3"]
NUMBERS = [78.89, 1234.5, 1250000000, 0.5, 100, -3.25, 12.345]
DAYS = ["2025-01-30", "2025-12-31"]

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js runs the page's module")


def page(expression: str):
    script = f"import * as f from {json.dumps(I18N.as_uri())};\nconsole.log(JSON.stringify({expression}));"
    done = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def python_reads(text: str):
    try:
        return parse_number(text)
    except ValueError:
        return None


def test_a_number_typed_on_the_page_is_read_as_an_uploaded_cell_is():
    read = page(f"{json.dumps(TYPED)}.map((t) => {{ const n = f.parseNumber(t); return Number.isNaN(n) ? null : n; }})")
    expected = [python_reads(t) for t in TYPED]
    assert read == expected, list(zip(TYPED, read, expected))
    assert read[:4] == [1250, 1234.5, 78.89, 78.89]


def test_numbers_and_days_are_written_as_the_reports_write_them():
    written = page(f"{json.dumps(NUMBERS)}.map((n) => f.num(n))")
    assert written == [number(n) for n in NUMBERS]
    assert page(f"{json.dumps(DAYS)}.map((d) => f.day(d))") == [day(d) for d in DAYS] == ["30 Januari 2025",
                                                                                       "31 Desember 2025"]
    assert page("[f.num(null), f.pct(78.5), f.period('2025Q3'), f.period('202503')]") == [
        "–", "78,5%", "period.quarter", "Maret 2025"]  # (a quarter's words come from the catalogue, not loaded here)


def test_in_english_commas_group_and_a_form_gets_every_digit_back():
    assert page("['1,234.5', '1.250', '1,250', 'x'].map((t) => f.parseNumber(t, 'en'))") == [1234.5, 1.25, 1250, None]
    # What a form is pre-filled with reads back as the same number (no grouping, no rounding).
    values = [1234.5, 33.333, 1250, 0.125, -7.5]
    assert page(f"{json.dumps(values)}.map((v) => f.parseNumber(f.plain(v)))") == values
