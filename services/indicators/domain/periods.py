"""Reporting periods as DHIS2 writes them: `2025` (a year), `2025Q1` (a quarter), `202503` (a month).

An indicator reports at its frequency (annual, quarterly, monthly); a scorecard can be asked for any
period, and then takes the indicator's periods that fall inside it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

FREQUENCIES = ("annual", "quarterly", "monthly")  # coarse to fine
_PATTERNS = {"annual": re.compile(r"^(\d{4})$"), "quarterly": re.compile(r"^(\d{4})Q([1-4])$"),
             "monthly": re.compile(r"^(\d{4})(0[1-9]|1[0-2])$")}
MIN_YEAR, MAX_YEAR = 1990, 2100


class InvalidPeriod(ValueError):
    """Not a period, or not one of the expected frequency."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int = 0  # 0: the whole year
    month: int = 0    # 0: the whole quarter or year

    @property
    def frequency(self) -> str:
        return "monthly" if self.month else "quarterly" if self.quarter else "annual"

    def __str__(self) -> str:
        if self.month:
            return f"{self.year}{self.month:02d}"
        if self.quarter:
            return f"{self.year}Q{self.quarter}"
        return str(self.year)

    @property
    def start(self) -> date:
        if self.month:
            return date(self.year, self.month, 1)
        return date(self.year, 3 * (self.quarter - 1) + 1 if self.quarter else 1, 1)

    @property
    def end(self) -> date:
        """The period's last day."""
        last_month = self.months()[-1]
        following = date(self.year + 1, 1, 1) if last_month == 12 else date(self.year, last_month + 1, 1)
        return date.fromordinal(following.toordinal() - 1)

    def months(self) -> list[int]:
        if self.month:
            return [self.month]
        if self.quarter:
            return [3 * (self.quarter - 1) + i for i in (1, 2, 3)]
        return list(range(1, 13))

    def inside(self, frequency: str) -> list["Period"]:
        """The periods of `frequency` that make up this one (empty if `frequency` is coarser)."""
        if FREQUENCIES.index(frequency) < FREQUENCIES.index(self.frequency):
            return []
        if frequency == "monthly":
            return [Period(self.year, (m - 1) // 3 + 1, m) for m in self.months()]
        if frequency == "quarterly":
            return sorted({Period(self.year, (m - 1) // 3 + 1) for m in self.months()})
        return [Period(self.year)]

    def years_later(self, years: int) -> "Period":
        """The same quarter or month (or the year) `years` later (negative: earlier): what a card compares with."""
        return Period(self.year + years, self.quarter, self.month)

    def containing(self) -> list["Period"]:
        """This period and the coarser ones it belongs to (202503 → 202503, 2025Q1, 2025)."""
        out = [self]
        if self.month:
            out.append(Period(self.year, self.quarter))
        if self.quarter:
            out.append(Period(self.year))
        return out


def parse_period(text: str, frequency: str | None = None) -> Period:
    """A Period from its string; InvalidPeriod if it is not one (of `frequency`, when given)."""
    candidates = [frequency] if frequency else list(FREQUENCIES)
    for kind in candidates:
        match = _PATTERNS[kind].match(text or "")
        if match:
            year = int(match.group(1))
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise InvalidPeriod(f"{text}: the year must be between {MIN_YEAR} and {MAX_YEAR}")
            if kind == "annual":
                return Period(year)
            if kind == "quarterly":
                return Period(year, int(match.group(2)))
            month = int(match.group(2))
            return Period(year, (month - 1) // 3 + 1, month)
    expected = {"annual": "a year such as 2025", "quarterly": "a quarter such as 2025Q1",
                "monthly": "a month such as 202503"}
    wanted = expected[frequency] if frequency else "2025, 2025Q1 or 202503"
    raise InvalidPeriod(f"{text!r} is not {wanted}")
