"""Numbers, amounts and dates as an Indonesian reader writes them (78,89; 1.250.000.000; 30 Januari 2025):
one place for every document, sheet and mail the services produce. Babel holds the locale's rules (CLDR)."""
from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "id_ID"
NONE = "–"  # what a missing number reads as


def number(value: float | int | None, digits: int = 2) -> str:
    """`value` with up to `digits` decimals (trailing zeros dropped): 78,89; 12; 1.234,5."""
    if value is None:
        return NONE
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def fixed(value: float | int | None, digits: int = 2) -> str:
    """`value` with exactly `digits` decimals: 78,89; 100,00."""
    if value is None:
        return NONE
    return format_decimal(value, format="#,##0" + ("." + "0" * digits if digits else ""), locale=LOCALE)


def percent(value: float | int | None, digits: int = 2) -> str:
    """An achievement already in percent: 78,89%."""
    return NONE if value is None else f"{fixed(value, digits)}%"


def rupiah(amount: float | int | None) -> str:
    return NONE if amount is None else f"Rp{format_decimal(amount, format='#,##0', locale=LOCALE)}"


def day(value: date | datetime | str | None) -> str:
    """30 Januari 2025 (an ISO string is read first)."""
    if value is None:
        return NONE
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value else date.fromisoformat(value)
    return format_date(value, "d MMMM y", locale=LOCALE)


def month(year: int, number: int) -> str:
    """Maret 2025."""
    return format_date(date(year, number, 1), "LLLL y", locale=LOCALE)


def parse_number(text: str) -> float:
    """A number typed the Indonesian way (1.234,5) or the international way (1234.5); ValueError if neither.
    A lone separator followed by exactly three digits is read as thousands (1.250 is one thousand two
    hundred fifty), as an Indonesian writer means it."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        raise ValueError("empty")
    if "," in cleaned:  # a decimal comma: dots group thousands
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif cleaned.count(".") > 1 or (cleaned.count(".") == 1 and len(cleaned.split(".")[1]) == 3
                                    and cleaned.lstrip("-+").split(".")[0] not in ("", "0")):
        cleaned = cleaned.replace(".", "")
    return float(cleaned)
