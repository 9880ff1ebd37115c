"""When an activity takes place: start before end, and the offset it was given in (an FGD at 08:00 WIB
stays 08:00+07:00 when read back, and belongs to the year of its local start date)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from shared.errors import Invalid

MAX_LENGTH = timedelta(days=366)


def schedule(start: datetime, end: datetime) -> dict:
    """The stored schedule fields; Invalid unless both carry an offset and end is after start."""
    if start.tzinfo is None or end.tzinfo is None:
        raise Invalid.field("start", "give start and end with their UTC offset, e.g. 2025-01-30T08:00:00+07:00")
    if end <= start:
        raise Invalid.field("end", f"must be after start ({start.isoformat()})")
    if end - start > MAX_LENGTH:
        raise Invalid.field("end", "an activity lasts at most a year")
    offset = start.utcoffset()
    return {"start": start.astimezone(timezone.utc), "end": end.astimezone(timezone.utc),
            "utc_offset_minutes": int(offset.total_seconds() // 60), "year": start.year}


def local(moment: datetime, offset_minutes: int) -> datetime:
    """A stored (UTC) moment in the activity's own offset."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone(timedelta(minutes=offset_minutes)))
