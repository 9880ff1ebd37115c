"""The words of an agency's annual performance report (LKjIP) that numbers cannot give: a text per
chapter, and per indicator the analysis of its achievement, the supporting and hindering factors and the
follow-up. One aggregate per agency and year, written by the agency's operators; the report reads it."""
from __future__ import annotations

from typing import Mapping

from shared.commands import Kind

CHAPTERS = ("summary", "introduction", "planning", "accountability", "closing")
INDICATOR_PARTS = ("analysis", "supporting", "hindering", "follow_up")
MAX_TEXT = 20000


def narrative_id(agency_id: str, year: int) -> str:
    return f"{agency_id}:{year}"


def empty(agency_id: str, year: int) -> dict:
    return {"id": narrative_id(agency_id, year), "agency_id": agency_id, "year": year, "chapters": {},
            "indicators": {}}


def snapshot_of(narrative: Mapping) -> dict:
    return {k: narrative.get(k) for k in ("id", "agency_id", "year", "chapters", "indicators")}


NARRATIVE = Kind("report_narrative", snapshot_of, label="report narrative")
