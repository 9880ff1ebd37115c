"""What the annual report and the agreement document are built from, read once, each read limited to what
the caller may read (the same checks as the JSON reads: queries)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from shared.auth.tokens import Principal
from shared.clock import now
from shared.errors import NotFound
from services.indicators import queries
from services.indicators.adapters.repository import IndicatorsRepository
from services.indicators.domain.agreements import in_force
from services.indicators.domain.narratives import empty, narrative_id


@dataclass(frozen=True)
class ReportFacts:
    """An agency's year as the LKjIP tells it. `lock` is the year's lock for the agency (None: a draft)."""

    year: int
    agency: dict                 # from the registry replica (code, name, type, head, path)
    superior: dict | None        # its parent agency
    units: list[dict]            # its children, by code
    card: dict                   # the annual scorecard (GET /scorecard?period=<year>)
    agreement: dict | None       # the signed agreement: {id, version_in_force, ...} with `in_force`
    activities: list[dict]       # completed reform activities linked to its indicators
    narratives: dict             # domain.narratives
    lock: dict | None
    generated_at: datetime = field(default_factory=now)

    @property
    def final(self) -> bool:
        return self.lock is not None


def agreement_of(repo: IndicatorsRepository, agency_id: str, year: int) -> dict | None:
    found = repo.agreements.find({"agency_id": agency_id, "year": year}, limit=1)
    return found[0] if found else None


def year_lock(repo: IndicatorsRepository, agency: dict, year: int) -> dict | None:
    """The lock closing the whole year for the agency (its own or an ancestor's)."""
    locks = repo.locks_covering([agency["id"], *agency.get("path", [])], [str(year)])
    return locks[0] if locks else None


def report_facts(principal: Principal, repo: IndicatorsRepository, agency_id: str, year: int) -> ReportFacts:
    card = queries.scorecard(principal, repo, agency_id, str(year))  # authorizes the read
    agency = repo.agency(agency_id)
    agreement = agreement_of(repo, agency_id, year)
    signed = agreement if agreement is not None and in_force(agreement) is not None else None
    children = repo.directory.children_of([agency_id]).get(agency_id, [])
    indicator_ids = [row["indicator_id"] for row in card["indicators"]]
    return ReportFacts(
        year=year, agency=agency,
        superior=repo.agency(agency["parent_id"]) if agency.get("parent_id") else None,
        units=sorted(children, key=lambda a: a["code"]), card=card,
        agreement=None if signed is None else {**signed, "in_force": in_force(signed)},
        activities=repo.reform_activities_linked(indicator_ids, year) if indicator_ids else [],
        narratives=repo.narratives.get(narrative_id(agency_id, year)) or empty(agency_id, year),
        lock=year_lock(repo, agency, year))


def agreement_facts(principal: Principal, repo: IndicatorsRepository, agreement_id: str,
                    version: int | None = None) -> tuple[dict, dict, dict]:
    """(agreement, the version to print — the one in force, or `version` — or the draft, the agency)."""
    agreement = queries.readable_agreement(principal, repo, agreement_id)
    if version is not None:
        content = queries.agreement_version(principal, repo, agreement_id, version)
    else:
        content = in_force(agreement) or {**agreement["draft"], "number": None}
    if content is None:
        raise NotFound(f"Performance agreement {agreement_id} has nothing to print.")
    return agreement, content, repo.agency(agreement["agency_id"])
