"""Who takes part in an activity: registration without duplicates, attendance, and the tallies the
activity keeps beside its participants (so that summaries never read the participant lists)."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from shared.errors import Conflict, Invalid

MAX_PER_ACTIVITY = 5000


def _normal_name(name: str) -> str:
    """Names compare without case, accents or extra spaces ("Dr.  Basseng" = "dr. basseng")."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"\s+", " ", folded).strip()


def identities(person: dict) -> list[tuple[str, ...]]:
    """What makes two registrations the same person: the same civil-servant number (NIP), or the same
    name in the same agency."""
    keys = [("name", person["agency_id"], _normal_name(person["name"]))]
    if person.get("nip"):
        keys.append(("nip", person["nip"]))
    return keys


def _describe(person: dict) -> str:
    return f"{person['name']} ({person['agency_id']})"


def register(current: list[dict], people: list[dict], new_ids: list[str], at: datetime) -> list[dict]:
    """The participant records for `people`; Conflict (duplicate) naming every person already registered
    or listed twice, in which case nobody is registered."""
    seen = {key: person for person in current for key in identities(person)}
    duplicates = []
    for person in people:
        clash = next((seen[key] for key in identities(person) if key in seen), None)
        if clash is not None:
            same = _normal_name(person["name"]) == _normal_name(clash["name"])
            duplicates.append(f"{_describe(person)} is already registered" + ("" if same else f" as {_describe(clash)}"))
            continue
        seen.update({key: person for key in identities(person)})
    if duplicates:
        raise Conflict(f"Duplicate participants: {'; '.join(duplicates[:10])}"
                       f"{f' (and {len(duplicates) - 10} more)' if len(duplicates) > 10 else ''}.",
                       kind="duplicate", duplicates=len(duplicates))
    if len(current) + len(people) > MAX_PER_ACTIVITY:
        raise Conflict(f"An activity takes at most {MAX_PER_ACTIVITY} participants; it has {len(current)}.",
                       kind="too-many-participants")
    return [{"id": pid, "agency_id": p["agency_id"], "name": p["name"], "position": p.get("position"),
             "nip": p.get("nip"), "attended": None, "registered_at": at} for pid, p in zip(new_ids, people)]


def mark_attendance(current: list[dict], attended: list[str], absent: list[str]) -> list[dict]:
    """Participants with attendance set (True / False); Invalid for ids that are not participants or that
    are listed as both."""
    known = {p["id"] for p in current}
    errors = {}
    unknown = [pid for pid in [*attended, *absent] if pid not in known]
    if unknown:
        errors["participant_ids"] = [f"not participants of this activity: {', '.join(sorted(set(unknown))[:20])}"]
    both = set(attended) & set(absent)
    if both:
        errors["absent"] = [f"listed as attended and absent: {', '.join(sorted(both)[:20])}"]
    if errors:
        raise Invalid(errors)
    present, away = set(attended), set(absent)
    return [{**p, "attended": True if p["id"] in present else False if p["id"] in away else p.get("attended")}
            for p in current]


def tallies(participants: list[dict]) -> dict:
    """Counts kept on the activity: registered and attended, and per agency (for roll-ups by agency)."""
    by_agency: dict[str, dict] = {}
    for p in participants:
        row = by_agency.setdefault(p["agency_id"], {"agency_id": p["agency_id"], "registered": 0, "attended": 0})
        row["registered"] += 1
        row["attended"] += 1 if p.get("attended") else 0
    rows = sorted(by_agency.values(), key=lambda r: r["agency_id"])
    return {"registered": len(participants), "attended": sum(r["attended"] for r in rows),
            "participant_agency_ids": [r["agency_id"] for r in rows],
            "attended_agency_ids": [r["agency_id"] for r in rows if r["attended"]],
            "by_agency": rows}
