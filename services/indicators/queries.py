"""Read side of the indicators service: lists, the cascade, realisations (showing locks), scorecards and
rankings, each limited to what the caller may read. Scorecards are read, never computed, here."""
from __future__ import annotations

from datetime import date, datetime, timezone

from shared.auth.directory import permitted_agency, ref_of
from shared.auth.policy import Action, AgencyRef, authorize, in_scope
from shared.auth.tokens import Principal
from shared.errors import NotFound
from shared.search import matching
from services.indicators.adapters.repository import IndicatorsRepository
from shared.commands import KNOWN_HERE
from services.indicators.commands.common import period_of
from services.indicators.domain import data_quality as quality
from services.indicators.domain.agreements import in_force
from services.indicators.domain.periods import FREQUENCIES
from services.indicators.domain.scorecard import AGENCY_FIELDS, scorecard_id

MAX_CASCADE = 2000


def readable_agency(principal: Principal, repo: IndicatorsRepository, agency_id: str) -> dict:
    return permitted_agency(principal, Action.READ, repo.agency(agency_id), agency_id, KNOWN_HERE)


def _readable(principal: Principal, repo: IndicatorsRepository, store, item_id: str) -> dict:
    """An aggregate of an agency (`agency_id`), if the caller may read that agency's data."""
    item = store.get(item_id)
    if item is None:
        raise NotFound(f"No {store.kind.noun} {item_id}.")
    readable_agency(principal, repo, item["agency_id"])
    return item


def readable_indicator(principal: Principal, repo: IndicatorsRepository, indicator_id: str) -> dict:
    return _readable(principal, repo, repo.indicators, indicator_id)


def list_indicators(principal: Principal, repo: IndicatorsRepository, query: dict) -> dict:
    conditions = []
    if "agency_id" in query:
        readable_agency(principal, repo, query["agency_id"])
        ids = repo.subtree_ids(query["agency_id"]) if query.get("subtree") else [query["agency_id"]]
        conditions.append({"agency_id": {"$in": ids}})
    elif principal.role != "admin":
        conditions.append({"agency_id": {"$in": repo.subtree_ids(principal.agency_id)}})
    for field in ("category", "status", "frequency", "parent_indicator_id"):
        if field in query:
            conditions.append({field: query[field]})
    if query.get("q"):
        conditions.append(matching(query["q"]))  # words of the name or code starting so
    selector = {"$and": conditions} if conditions else {}
    page, size = query["page"], query["page_size"]
    items = repo.indicators.find(selector, sort=[("code", 1), ("_id", 1)], skip=(page - 1) * size, limit=size)
    return {"items": items, "page": page, "page_size": size, "total": repo.indicators.count(selector)}


def cascade(principal: Principal, repo: IndicatorsRepository, indicator_id: str) -> dict:
    """The indicator and the indicators below it (pohon kinerja), nested; branches the caller may not
    read are left out."""
    root = {**readable_indicator(principal, repo, indicator_id), "children": []}
    nodes, frontier, seen = {root["id"]: root}, [root["id"]], 1
    readable = {}
    while frontier and seen <= MAX_CASCADE:
        children = repo.indicator_children(frontier)
        agencies = repo.agencies({c["agency_id"] for c in children} - set(readable))
        readable.update({a: in_scope(principal, ref_of(doc)) for a, doc in agencies.items()})
        frontier = []
        for child in children:
            if not readable.get(child["agency_id"]):
                continue
            node = {**child, "children": []}
            nodes[child["id"]] = node
            nodes[child["parent_indicator_id"]]["children"].append(node)
            frontier.append(child["id"])
            seen += 1
    return root


def target_history(principal: Principal, repo: IndicatorsRepository, indicator_id: str) -> dict:
    indicator = readable_indicator(principal, repo, indicator_id)
    return {"indicator_id": indicator_id, "current": indicator["targets"], "history": indicator["target_history"]}


def _with_lock(repo: IndicatorsRepository, realisation: dict, agency: dict) -> dict:
    locks = repo.locks_covering([agency["id"], *agency.get("path", [])],
                                [str(p) for p in period_of(realisation["period"]).containing()])
    if not locks:
        return {**realisation, "locked": False}
    lock = locks[0]
    return {**realisation, "locked": True, "locked_by": lock["by"], "locked_at": lock["at"], "lock_id": lock["id"]}


def realisation_of(principal: Principal, repo: IndicatorsRepository, indicator_id: str, period: str) -> dict:
    indicator = readable_indicator(principal, repo, indicator_id)
    key = f"{indicator_id}:{period_of(period, indicator['frequency'])}"
    realisation = repo.realisations.get(key)
    if realisation is None:
        raise NotFound(f"No realisation of {period} for indicator {indicator['code']}.")
    return _with_lock(repo, realisation, repo.agency(indicator["agency_id"]))


def realisations_of(principal: Principal, repo: IndicatorsRepository, indicator_id: str) -> list[dict]:
    indicator = readable_indicator(principal, repo, indicator_id)
    agency = repo.agency(indicator["agency_id"])
    return [_with_lock(repo, r, agency) for r in repo.realisations.find({"indicator_id": indicator_id},
                                                                        sort=[("period", 1)])]


def scorecard(principal: Principal, repo: IndicatorsRepository, agency_id: str, period: str) -> dict:
    """The stored card as it is (one round trip: the card carries its agency's scope); an agency without
    one for the period gets an empty card."""
    key = str(period_of(period))
    card = repo.scorecard_for_reading(scorecard_id(agency_id, key))
    if card is not None and "agency_path" in card:
        authorize(principal, Action.READ, AgencyRef(agency_id, tuple(card.pop("agency_path")),
                                                    card["agency"].get("status", "active")))
        return card
    agency = readable_agency(principal, repo, agency_id)
    return {"agency": {k: agency.get(k) for k in AGENCY_FIELDS}, "period": key, "computed": False,
            "own": {"score": None, "grade": None, "light": None, "coverage": None, "indicators": 0},
            "rollup": {"score": None, "grade": None, "light": None, "agencies_counted": 0}, "indicators": [],
            "children": [], "rulepack_version": None, "computed_at": None}


def rankings(principal: Principal, repo: IndicatorsRepository, agency_id: str, period: str) -> dict:
    """The children of an agency ranked by their roll-up score (inactive and unscored last, unranked)."""
    card = scorecard(principal, repo, agency_id, period)
    ranked = sorted((c for c in card["children"] if c["status"] == "active" and c["score"] is not None),
                    key=lambda c: (-c["score"], c["code"]))
    rest = [c for c in card["children"] if c not in ranked]
    return {"agency": card["agency"], "period": card["period"],
            "items": [{**c, "rank": i + 1} for i, c in enumerate(ranked)] + [{**c, "rank": None} for c in rest]}


def data_quality(principal: Principal, repo: IndicatorsRepository, agency_id: str, period: str,
                 as_of: date | None = None, grace_days: int = 30) -> dict:
    """The reporting gaps of an agency's subtree for a period: missing and draft realisations with their
    deadlines, rejected ones waiting to be resubmitted, and counts by status."""
    agency = readable_agency(principal, repo, agency_id)
    wanted = period_of(period)
    as_of = as_of or datetime.now(timezone.utc).date()
    subtree = {a["id"]: a for a in repo.subtree(agency_id)}
    indicators = repo.indicators.find({"agency_id": {"$in": list(subtree)}, "status": "active"},
                                      sort=[("code", 1), ("_id", 1)])
    periods = {str(p) for frequency in FREQUENCIES for p in wanted.inside(frequency)}
    found = {(r["indicator_id"], r["period"]): r for r in repo.realisations_of([i["id"] for i in indicators], periods)}
    result = quality.data_quality(indicators, found, wanted, as_of, grace_days)
    for entry in (*result["missing"], *result["rejected"]):
        owner = subtree.get(entry["agency_id"], {})
        entry.update(agency_code=owner.get("code"), agency_name=owner.get("name"))
    return {"agency": {k: agency.get(k) for k in AGENCY_FIELDS}, "period": str(wanted),
            "as_of": as_of, "grace_days": grace_days, "indicators": len(indicators), **result}


def locks(principal: Principal, repo: IndicatorsRepository, query: dict) -> list[dict]:
    selector: dict = {}
    if "agency_id" in query:
        agency = readable_agency(principal, repo, query["agency_id"])
        # covering: the ancestors' locks too, which close the agency's periods as its own do (a reader of the
        # agency's data may know what closes it, even without reading the ancestor).
        selector["agency_id"] = ({"$in": [agency["id"], *agency.get("path", [])]} if query.get("covering")
                                 else query["agency_id"])
    elif principal.role != "admin":
        selector["agency_id"] = {"$in": repo.subtree_ids(principal.agency_id)}
    if "period" in query:
        selector["period"] = str(period_of(query["period"]))
    if query.get("locked_only"):
        selector["locked"] = True
    found = repo.locks.find(selector, sort=[("period", 1), ("agency_id", 1)], limit=1000)
    if not query.get("covering"):
        return found
    # An ancestor's lock, for a caller who may not read the ancestor: that it closes the period, not who or why.
    readable = {a["id"] for a in repo.agencies(lock["agency_id"] for lock in found).values()
                if in_scope(principal, AgencyRef(a["id"], tuple(a.get("path", ())), a.get("status", "active")))}
    return [lock if lock["agency_id"] in readable else {k: lock[k] for k in ("id", "agency_id", "period", "locked")}
            for lock in found]


def rule_packs(repo: IndicatorsRepository) -> list[dict]:
    """Every version, oldest first: the rules are public to every caller."""
    return repo.rulepacks.find({}, sort=[("number", 1)])


def rule_pack(repo: IndicatorsRepository, version: str) -> dict:
    pack = repo.rulepacks.get(version)
    if pack is None:
        raise NotFound(f"No rule pack version {version}.")
    return pack


def _scoped(principal: Principal, repo: IndicatorsRepository, query: dict) -> list[dict]:
    """The agency condition of a list: the agency asked for (or its subtree), else what the caller reads."""
    if "agency_id" in query:
        readable_agency(principal, repo, query["agency_id"])
        ids = repo.subtree_ids(query["agency_id"]) if query.get("subtree") else [query["agency_id"]]
        return [{"agency_id": {"$in": ids}}]
    if principal.role != "admin":
        return [{"agency_id": {"$in": repo.subtree_ids(principal.agency_id)}}]
    return []


def readable_plan(principal: Principal, repo: IndicatorsRepository, plan_id: str) -> dict:
    return _readable(principal, repo, repo.plans, plan_id)


def list_plans(principal: Principal, repo: IndicatorsRepository, query: dict) -> dict:
    conditions = _scoped(principal, repo, query)
    if "year" in query:
        conditions += [{"start_year": {"$lte": query["year"]}}, {"end_year": {"$gte": query["year"]}}]
    if "status" in query:
        conditions.append({"status": query["status"]})
    selector = {"$and": conditions} if conditions else {}
    page, size = query["page"], query["page_size"]
    items = repo.plans.find(selector, sort=[("agency_id", 1), ("start_year", 1)], skip=(page - 1) * size, limit=size)
    return {"items": items, "page": page, "page_size": size, "total": repo.plans.count(selector)}


def agreement_view(agreement: dict) -> dict:
    """An agreement as clients read it: the version in force in full, the other versions by number."""
    return {**{k: v for k, v in agreement.items() if k != "versions"}, "in_force": in_force(agreement),
            "versions": [v["number"] for v in agreement.get("versions", ())]}


def readable_agreement(principal: Principal, repo: IndicatorsRepository, agreement_id: str) -> dict:
    return _readable(principal, repo, repo.agreements, agreement_id)


def agreement_version(principal: Principal, repo: IndicatorsRepository, agreement_id: str, number: int) -> dict:
    agreement = readable_agreement(principal, repo, agreement_id)
    version = next((v for v in agreement["versions"] if v["number"] == number), None)
    if version is None:
        raise NotFound(f"Performance agreement {agreement_id} has no version {number}.")
    return version


def list_agreements(principal: Principal, repo: IndicatorsRepository, query: dict) -> dict:
    conditions = _scoped(principal, repo, query)
    for field in ("year", "status"):
        if field in query:
            conditions.append({field: query[field]})
    selector = {"$and": conditions} if conditions else {}
    page, size = query["page"], query["page_size"]
    items = repo.agreements.find(selector, sort=[("year", 1), ("agency_id", 1)], skip=(page - 1) * size, limit=size)
    return {"items": [agreement_view(a) for a in items], "page": page, "page_size": size,
            "total": repo.agreements.count(selector)}


def list_realisations(principal: Principal, repo: IndicatorsRepository, query: dict) -> dict:
    """Realisations of an agency (or its subtree), each with its indicator and agency named: what an operator
    enters for a period, and the evaluator's queue (status=submitted: the oldest submission first)."""
    conditions = _scoped(principal, repo, query)
    if "period" in query:
        wanted = period_of(query["period"])
        conditions.append({"period": {"$in": sorted({str(p) for f in FREQUENCIES for p in wanted.inside(f)})}})
    if "status" in query:
        conditions.append({"status": query["status"]})
    selector = {"$and": conditions} if conditions else {}
    sort = ([("submitted_at", 1), ("_id", 1)] if query.get("status") == "submitted"
            else [("period", 1), ("indicator_id", 1)])
    page, size = query["page"], query["page_size"]
    items = repo.realisations.find(selector, sort=sort, skip=(page - 1) * size, limit=size)
    indicators = {i["id"]: i for i in repo.indicators.find({"_id": {"$in": [r["indicator_id"] for r in items]}})}
    agencies = repo.agencies(r["agency_id"] for r in items)
    for item in items:
        indicator, agency = indicators.get(item["indicator_id"], {}), agencies.get(item["agency_id"], {})
        item["indicator"] = {k: indicator.get(k) for k in ("code", "name", "unit", "frequency", "category")}
        item["agency"] = {k: agency.get(k) for k in ("code", "name")}
    return {"items": items, "page": page, "page_size": size, "total": repo.realisations.count(selector)}
