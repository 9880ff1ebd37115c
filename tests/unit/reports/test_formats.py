"""Numbers and dates the Indonesian way, and numbers typed either way read back."""
from datetime import date, datetime, timezone

import pytest

from shared import formats


def test_numbers_amounts_and_dates_as_an_indonesian_reader_writes_them():
    assert formats.number(78.886) == "78,89"
    assert formats.number(1234.5) == "1.234,5"
    assert formats.number(12) == "12"
    assert formats.fixed(100) == "100,00"
    assert formats.percent(92.8071) == "92,81%"
    assert formats.rupiah(1250000000) == "Rp1.250.000.000"
    assert formats.day(date(2025, 1, 30)) == "30 Januari 2025"
    assert formats.day("2025-08-17T09:00:00+07:00") == "17 Agustus 2025"
    assert formats.day(datetime(2026, 12, 2, tzinfo=timezone.utc)) == "2 Desember 2026"
    assert formats.number(None) == formats.fixed(None) == formats.day(None) == "–"
    assert [formats.month(2025, m) for m in (1, 3, 8, 12)] == ["Januari 2025", "Maret 2025", "Agustus 2025",
                                                              "Desember 2025"]


@pytest.mark.parametrize("typed, value", [("78,5", 78.5), ("1.234,5", 1234.5), ("1234.5", 1234.5), ("1.250", 1250),
                                          ("0.250", 0.25), ("-3,25", -3.25), ("1.000.000", 1000000), (" 12 ", 12)])
def test_numbers_typed_the_indonesian_or_the_international_way(typed, value):
    assert formats.parse_number(typed) == value


@pytest.mark.parametrize("typed", ["", "abc", "1,2,3", "12%"])
def test_what_is_no_number_is_refused(typed):
    with pytest.raises(ValueError):
        formats.parse_number(typed)
