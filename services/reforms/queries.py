"""Read side of the reforms service: activities (in their own time zone), participants, follow-ups, the reform
summary, and work culture (instruments, surveys' results, the culture index), each limited to what the caller may
read; survey answers only ever as group results."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from shared.auth.directory import permitted_agency, ref_of
from shared.auth.policy import Action, in_scope, require_role
from shared.auth.tokens import Principal
from shared.errors import NotFound
from shared.search import matching
from shared.reform_areas import AREAS
from services.reforms.adapters.repository import ReformsRepository
from shared.commands import KNOWN_HERE
from services.reforms.domain import summary as rollup
from services.reforms.domain import survey as culture
from services.reforms.domain.schedule import local

AGENCY_FIELDS = ("id", "code", "name", "short_name", "type", "status")


def areas() -> list[dict]:
    return [{"code": a.code, "name": a.name, "name_en": a.name_en, "group": a.group} for a in AREAS]


def readable_agency(principal: Principal, repo: ReformsRepository, agency_id: str) -> dict:
    return permitted_agency(principal, Action.READ, repo.agency(agency_id), agency_id, KNOWN_HERE)


def known_indicator(principal: Principal, repo: ReformsRepository, indicator_id: str) -> dict:
    """An indicator as this service knows it, if the caller may read its agency's data."""
    found = repo.indicators([indicator_id]).get(indicator_id)
    if found is None:
        raise NotFound(f"No indicator {indicator_id}{KNOWN_HERE}.")
    readable_agency(principal, repo, found["agency_id"])
    return found


def present(repo: ReformsRepository, activity: dict, indicators: dict[str, dict] | None = None) -> dict:
    """An activity as clients read it: times in the offset it was planned in, linked indicators named
    (from `indicators` when the caller looked them up for a whole page)."""
    offset = activity["utc_offset_minutes"]
    found = indicators if indicators is not None else repo.indicators(activity["linked_indicator_ids"]) \
        if activity["linked_indicator_ids"] else {}
    return {**activity, "start": local(activity["start"], offset), "end": local(activity["end"], offset),
            "linked_indicators": [found.get(i, {"id": i, "code": None, "name": None, "status": "unknown"})
                                  for i in activity["linked_indicator_ids"]]}


def readable_activity(principal: Principal, repo: ReformsRepository, activity_id: str) -> dict:
    activity = repo.activities.get(activity_id)
    if activity is None:
        raise NotFound(f"No activity {activity_id}.")
    readable_agency(principal, repo, activity["organiser_agency_id"])
    return activity


def activity(principal: Principal, repo: ReformsRepository, activity_id: str) -> dict:
    return present(repo, readable_activity(principal, repo, activity_id))


def _organisers(principal: Principal, repo: ReformsRepository, query: dict) -> list[str] | None:
    """The organiser ids a list may show (None: any, for an admin listing everything)."""
    if "agency_id" in query:
        readable_agency(principal, repo, query["agency_id"])
        return repo.subtree_ids(query["agency_id"]) if query.get("subtree", True) else [query["agency_id"]]
    if principal.role != "admin":
        return repo.subtree_ids(principal.agency_id)
    return None


def _day(value: date, end_of_day: bool = False) -> datetime:
    return datetime.combine(value, time.max if end_of_day else time.min, tzinfo=timezone.utc)


def list_activities(principal: Principal, repo: ReformsRepository, query: dict) -> dict:
    conditions: list[dict] = []
    organisers = _organisers(principal, repo, query)
    if organisers is not None:
        conditions.append({"organiser_agency_id": {"$in": organisers}})
    for field in ("area", "kind", "status", "year"):
        if field in query:
            conditions.append({field: query[field]})
    if "participant_agency_id" in query:
        conditions.append({"participant_agency_ids": query["participant_agency_id"]})
    if "from" in query:
        conditions.append({"end": {"$gte": _day(query["from"])}})
    if "to" in query:
        conditions.append({"start": {"$lte": _day(query["to"], end_of_day=True)}})
    if query.get("q"):
        conditions.append(matching(query["q"]))  # words of the title starting so
    selector = {"$and": conditions} if conditions else {}
    page, size = query["page"], query["page_size"]
    order = -1 if query.get("order") == "desc" else 1
    cursor = repo.activities.collection.find(selector, {**repo.activities.hidden, "participants": 0})
    docs = [repo.activities.public(doc) for doc in
            cursor.sort([("start", order), ("_id", order)]).skip((page - 1) * size).limit(size)]
    linked = {i for doc in docs for i in doc["linked_indicator_ids"]}
    indicators = repo.indicators(linked) if linked else {}
    return {"items": [present(repo, doc, indicators) for doc in docs], "page": page, "page_size": size,
            "total": repo.activities.count(selector)}


def participants(principal: Principal, repo: ReformsRepository, activity_id: str) -> dict:
    return participants_of(readable_activity(principal, repo, activity_id))


def participants_of(activity: dict) -> dict:
    """The participant list with the activity's counts (what registration and attendance answer too)."""
    return {"activity_id": activity["id"], "status": activity["status"], "version": activity["version"],
            "planned": activity.get("planned_participants"), "registered": activity["registered"],
            "attended": activity["attended"],
            "not_marked": sum(1 for p in activity["participants"] if p.get("attended") is None),
            "by_agency": activity["by_agency"], "items": activity["participants"]}


def follow_ups_of_activity(principal: Principal, repo: ReformsRepository, activity_id: str) -> list[dict]:
    readable_activity(principal, repo, activity_id)
    return repo.follow_ups.find({"activity_id": activity_id}, sort=[("due", 1), ("_id", 1)])


def _readable_by_owner_or_organiser(principal: Principal, repo: ReformsRepository, found: dict) -> dict:
    """A follow-up or a commitment is read by the owner's readers and the organiser's."""
    agencies = repo.agencies([found["owner_agency_id"], found["organiser_agency_id"]])
    if not any(in_scope(principal, ref_of(a)) for a in agencies.values()):
        readable_agency(principal, repo, found["owner_agency_id"])  # raises the Forbidden that explains
    return found


def follow_up(principal: Principal, repo: ReformsRepository, follow_up_id: str) -> dict:
    found = repo.follow_ups.get(follow_up_id)
    if found is None:
        raise NotFound(f"No follow-up {follow_up_id}.")
    return _readable_by_owner_or_organiser(principal, repo, found)


def _owners(principal: Principal, repo: ReformsRepository, query: dict) -> list[str] | None:
    """The owner agencies a list covers (None: every agency, for admins asking for no agency)."""
    agency_id = query.get("agency_id") or (None if principal.role == "admin" else principal.agency_id)
    if agency_id is None:
        return None
    readable_agency(principal, repo, agency_id)
    return repo.subtree_ids(agency_id) if query.get("subtree", True) else [agency_id]


def list_follow_ups(principal: Principal, repo: ReformsRepository, query: dict) -> dict:
    """Follow-ups owned inside an agency's subtree (by default the caller's), by due date; `overdue`:
    only those not done and due before `as_of` (default today, UTC), and with them the overdue milestones
    of the subtree's change commitments (`type: milestone`), in one list by due date."""
    owners = _owners(principal, repo, query)
    conditions: list[dict] = [] if owners is None else [{"owner_agency_id": {"$in": owners}}]
    as_of = query.get("as_of") or datetime.now(timezone.utc).date()
    today = as_of.isoformat()
    if query.get("overdue"):
        conditions += [{"status": {"$in": ["open", "in_progress"]}}, {"due": {"$lt": today}}]
    elif "status" in query:
        conditions.append({"status": query["status"]})
    if "year" in query:
        conditions.append({"activity_year": query["year"]})
    selector = {"$and": conditions} if conditions else {}
    page, size = query["page"], query["page_size"]
    total = repo.follow_ups.count(selector)
    if not query.get("overdue"):
        items = repo.follow_ups.find(selector, sort=[("due", 1), ("_id", 1)], skip=(page - 1) * size, limit=size)
    else:  # the page of the two lists merged: the first page × size of each suffice
        follow_ups = repo.follow_ups.find(selector, sort=[("due", 1), ("_id", 1)], limit=page * size)
        milestones, overdue_milestones = repo.overdue_milestones(owners, today, query.get("year"), limit=page * size)
        items = sorted([*follow_ups, *milestones], key=lambda f: (f["due"], f["id"]))[(page - 1) * size:page * size]
        total += overdue_milestones
    return {"items": [{"type": "follow_up", **f, "overdue": f["status"] != "done" and f["due"] < today}
                      for f in items], "page": page, "page_size": size, "total": total, "as_of": as_of}


def commitments_of_activity(principal: Principal, repo: ReformsRepository, activity_id: str) -> list[dict]:
    readable_activity(principal, repo, activity_id)
    return repo.commitments.find({"activity_id": activity_id}, sort=[("participant_name", 1)],
                                 hint=[("activity_id", 1), ("participant_name", 1)])


def commitment(principal: Principal, repo: ReformsRepository, commitment_id: str, as_of: date | None = None) -> dict:
    found = repo.commitments.get(commitment_id)
    if found is None:
        raise NotFound(f"No change commitment {commitment_id}.")
    return with_overdue(_readable_by_owner_or_organiser(principal, repo, found), as_of)


def with_overdue(commitment_: dict, as_of: date | None = None) -> dict:
    today = (as_of or datetime.now(timezone.utc).date()).isoformat()
    return {**commitment_, "milestones": [{**m, "overdue": m["status"] != "done" and m["due"] < today}
                                          for m in commitment_["milestones"]]}


def list_commitments(principal: Principal, repo: ReformsRepository, query: dict) -> dict:
    """Change commitments of people of an agency's subtree (by default the caller's), the earliest open due date
    first; `overdue`: only those with a milestone not done due before `as_of`."""
    owners = _owners(principal, repo, query)
    conditions: list[dict] = [] if owners is None else [{"owner_agency_id": {"$in": owners}}]
    as_of = query.get("as_of") or datetime.now(timezone.utc).date()
    if query.get("overdue"):
        conditions.append({"next_due": {"$lt": as_of.isoformat()}})
    if "status" in query:
        conditions.append({"status": query["status"]})
    if "year" in query:
        conditions.append({"activity_year": query["year"]})
    selector = {"$and": conditions} if conditions else {}
    page, size = query["page"], query["page_size"]
    items = repo.commitments.find(selector, sort=[("next_due", 1), ("_id", 1)], skip=(page - 1) * size, limit=size,
                                  hint=[("owner_agency_id", 1), ("next_due", 1)] if owners is not None
                                  else [("next_due", 1), ("_id", 1)])
    return {"items": [with_overdue(c, as_of) for c in items], "page": page, "page_size": size,
            "total": repo.commitments.count(selector), "as_of": as_of}


def reform_summary(principal: Principal, repo: ReformsRepository, agency_id: str, year: int,
                   as_of: date | None = None) -> dict:
    """The agency's reform year: its own figures, the roll-up over its subtree, and each child's roll-up."""
    agency = readable_agency(principal, repo, agency_id)
    as_of = as_of or datetime.now(timezone.utc).date()
    subtree = repo.subtree(agency_id)
    ids = [a["id"] for a in subtree]
    own = rollup.own_counters(ids, repo.organised_in(ids, year), repo.participation_of(ids, year),
                              repo.follow_ups_owned_by(ids, year), as_of)
    rolled = rollup.roll_up(subtree, own)
    children = sorted((a for a in subtree if a.get("parent_id") == agency_id), key=lambda a: a["code"])
    return {"agency": {k: agency.get(k) for k in AGENCY_FIELDS}, "year": year, "as_of": as_of,
            "agencies_counted": len(subtree), "own": rollup.render(own[agency_id]),
            "rollup": rollup.render(rolled[agency_id]),
            "children": [{"agency": {k: child.get(k) for k in AGENCY_FIELDS}, "rollup": rollup.render(rolled[child["id"]])}
                         for child in children]}


# -- work culture: instruments, surveys, results, the culture index ------------------------------------------------

def instruments(principal: Principal, repo: ReformsRepository) -> list[dict]:
    """Every instrument version (any role reads them: they are questionnaires, not anyone's data)."""
    require_role(principal, Action.READ)
    return repo.instruments.find({}, sort=[("code", 1), ("revision", 1)], hint=[("code", 1), ("revision", 1)])


def instrument(principal: Principal, repo: ReformsRepository, instrument_id: str) -> dict:
    require_role(principal, Action.READ)
    found = repo.instruments.get(instrument_id)
    if found is None:
        raise NotFound(f"No instrument {instrument_id}.")
    return found


def readable_survey(principal: Principal, repo: ReformsRepository, survey_id: str) -> dict:
    found = repo.surveys.get(survey_id)
    if found is None:
        raise NotFound(f"No survey {survey_id}.")
    readable_agency(principal, repo, found["organiser_agency_id"])
    return found


def surveys_of_activity(principal: Principal, repo: ReformsRepository, activity_id: str) -> list[dict]:
    readable_activity(principal, repo, activity_id)
    return repo.surveys.find({"activity_id": activity_id}, sort=[("instrument_id", 1)],
                             hint=[("activity_id", 1), ("instrument_id", 1)])


def list_surveys(principal: Principal, repo: ReformsRepository, agency_id: str | None, year: int) -> list[dict]:
    """The year's surveys of activities organised in an agency's subtree (default: the caller's), latest first."""
    agency_id = agency_id or (None if principal.role == "admin" else principal.agency_id)
    selector: dict = {"activity_year": year}
    if agency_id is not None:
        readable_agency(principal, repo, agency_id)
        selector["organiser_agency_id"] = {"$in": repo.subtree_ids(agency_id)}
    found = repo.surveys.find(selector, hint=[("organiser_agency_id", 1), ("activity_year", 1)]
                              if agency_id is not None else [("activity_year", 1), ("created_at", 1)])
    return sorted(found, key=lambda s: s["created_at"], reverse=True)


def survey_results(principal: Principal, repo: ReformsRepository, survey_id: str) -> dict:
    """Pre and post means per dimension and overall, the paired change with its interval, and the same per
    participating agency: every group under the survey's k rule, and nobody's answers."""
    found = readable_survey(principal, repo, survey_id)
    definition = repo.instruments.get(found["instrument_id"])
    dimensions = [(d["code"], d["label"]) for d in definition["dimensions"]]
    pre, post = repo.answers_of(survey_id, "pre"), repo.answers_of(survey_id, "post")
    agencies = repo.agencies({a["agency_id"] for a in (*pre, *post)})
    rows = culture.by_agency(dimensions, pre, post, found["k"])
    return {"survey_id": survey_id, "activity_id": found["activity_id"], "k": found["k"],
            "instrument": {k: definition[k] for k in ("id", "code", "revision", "title")},
            "phases": {phase: {"status": found[phase]["status"], "respondents": len(answers)}
                       for phase, answers in (("pre", pre), ("post", post))},
            "dimensions": culture.dimension_results(dimensions, pre, post, found["k"]),
            "by_agency": [{**row, "agency": {k: agencies.get(row["agency_id"], {}).get(k) for k in AGENCY_FIELDS}}
                          for row in rows]}


def culture_index(principal: Principal, repo: ReformsRepository, agency_id: str, year: int,
                  instrument_code: str | None = None) -> dict:
    """An agency's culture index for a year: the latest closed post phase (of an instrument, if named) that shows a
    number for its subtree's people; `index` is null when none does."""
    agency = readable_agency(principal, repo, agency_id)
    candidates = [s for s in repo.closed_surveys_covering(agency_id, year)
                  if instrument_code is None or s["instrument_code"] == instrument_code]
    latest = max(candidates, key=lambda s: s["post"]["closed_at"], default=None)
    base = {"agency": {k: agency.get(k) for k in AGENCY_FIELDS}, "year": year}
    if latest is None:
        return {**base, "index": None, "dimensions": None, "respondents": None, "survey": None}
    row = next(r for r in latest["post_rollup"] if r["agency_id"] == agency_id)
    means = dict(row["means"])
    return {**base, "index": means.pop(culture.OVERALL), "dimensions": means, "respondents": row["respondents"],
            "survey": {"id": latest["id"], "activity_id": latest["activity_id"], "activity_title": latest["activity_title"],
                       "instrument_id": latest["instrument_id"], "closed_at": latest["post"]["closed_at"]}}
