"""What is missing from an agency's reporting for a period: each active indicator's realisation of every
sub-period at its frequency (an annual indicator in 2025: 2025; a monthly one: its twelve months) is
verified, awaiting verification, rejected (waiting to be corrected and resubmitted), a draft or absent.

A report is due `grace_days` after its period ends (the caller's rule, default 30 days). Drafts and absent
realisations of periods that have begun are listed with their deadline, overdue once it has passed;
periods that have not begun are not expected yet.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

from services.indicators.domain.periods import Period

STATUSES = ("verified", "submitted", "rejected", "draft", "missing")


def data_quality(indicators: Iterable[dict], realisations: dict[tuple[str, str], dict], period: Period,
                 as_of: date, grace_days: int) -> dict:
    """`indicators`: active ones (id, code, name, agency_id, frequency); `realisations`: by (indicator id,
    period text). Returns counts by status over the expected reports, the missing ones (absent or draft) and
    the rejected ones, each sorted by deadline."""
    counts = {status: 0 for status in STATUSES}
    missing, rejected = [], []
    expected = 0
    for indicator in indicators:
        for sub in period.inside(indicator["frequency"]):
            if sub.start > as_of:
                continue  # not begun: nothing is expected yet
            expected += 1
            found = realisations.get((indicator["id"], str(sub)))
            status = found["status"] if found else "missing"
            counts[status] += 1
            deadline = sub.end + timedelta(days=grace_days)
            entry = {"indicator_id": indicator["id"], "code": indicator["code"], "name": indicator["name"],
                     "agency_id": indicator["agency_id"], "period": str(sub), "deadline": deadline,
                     "overdue": as_of > deadline, "days_left": (deadline - as_of).days}
            if status in ("missing", "draft"):
                missing.append({**entry, "status": status})
            elif status == "rejected":
                rejected.append({**entry, "reason": found.get("reason"), "rejected_by": found.get("verified_by")})
    order = lambda e: (e["deadline"], e["code"], e["agency_id"])  # noqa: E731
    return {"expected": expected, "counts": counts, "missing": sorted(missing, key=order),
            "rejected": sorted(rejected, key=order)}
