"""The annual performance report (LKjIP) of an agency, after PermenPANRB 53/2014: cover, executive summary,
chapters I–IV and the agreement as appendix — built from the service's data (reports.facts), every number
written the Indonesian way. Pure: the same Document becomes the PDF and the DOCX."""
from __future__ import annotations

from shared import formats
from shared.documents.model import Column, Document, Heading, PageBreak, Paragraph, Signature, Signatures, Table
from shared.messages import label, text
from shared.reform_areas import area_name
from services.indicators.reports.common import NUMBER_COLUMN, agreement_table, budget_table, official, target_text
from services.indicators.reports.facts import ReportFacts

MET = 100.0  # an achievement of 100% or more meets the target


def _category(score_part: dict) -> str:
    category = score_part.get("category") or {}
    return category.get("label") or formats.NONE


def _row_category(row: dict) -> str:
    return (row.get("category") or {}).get("label") or formats.NONE


def _narrative(facts: ReportFacts, chapter: str) -> list[Paragraph]:
    body = facts.narratives["chapters"].get(chapter)
    return [Paragraph(part) for part in body.split("\n\n")] if body else []


def _met(card: dict) -> int:
    return sum(1 for row in card["indicators"] if row.get("achievement") is not None and row["achievement"] >= MET)


def _cover(facts: ReportFacts) -> list:
    agency = facts.agency
    status = (text("lkjip.final_note", year=facts.year, by=facts.lock["by"], at=formats.day(facts.lock["at"]),
                   rulepack=facts.card.get("rulepack_version") or formats.NONE, agreement=_agreement_ref(facts))
              if facts.final else text("lkjip.draft_note", year=facts.year))
    return [Heading(text("lkjip.title").upper(), 0), Paragraph(f"({text('lkjip.short')})", "big"),
            Paragraph(text("lkjip.year", year=facts.year).upper(), "big"), Paragraph(agency["name"].upper(), "big"),
            Paragraph(""), Paragraph(status, "center"),
            Paragraph(text("lkjip.generated", at=formats.day(facts.generated_at)), "center"), PageBreak()]


def _agreement_ref(facts: ReportFacts) -> str:
    if facts.agreement is None:
        return text("lkjip.no_agreement_ref")
    return text("lkjip.agreement_ref", id=facts.agreement["id"], version=facts.agreement["version_in_force"])


def _summary(facts: ReportFacts) -> list:
    card, own, rollup = facts.card, facts.card["own"], facts.card["rollup"]
    figures = [(text("lkjip.score"), formats.fixed(own["score"])), (text("lkjip.category"), _category(own)),
               (text("lkjip.indicators"), str(own["indicators"])), (text("lkjip.met"), str(_met(card))),
               (text("lkjip.coverage"), formats.percent(None if own["coverage"] is None else own["coverage"] * 100))]
    if facts.units:
        figures += [(text("lkjip.rollup"), formats.fixed(rollup["score"])),
                    (text("lkjip.units_counted"), str(rollup["agencies_counted"]))]
    return [Heading(text("lkjip.summary"), 1),
            Paragraph(text("lkjip.summary_lead", agency=facts.agency["name"], year=facts.year,
                           indicators=own["indicators"], score=formats.fixed(own["score"]), category=_category(own),
                           met=_met(card))),
            *_narrative(facts, "summary"),
            Table((Column(text("lkjip.figure"), 3), Column(text("lkjip.value"), 1.2, "right")), tuple(figures),
                  caption=text("lkjip.key_figures")),
            PageBreak()]


def _introduction(facts: ReportFacts) -> list:
    agency, head = facts.agency, facts.agency.get("head") or {}
    head_text = f"{head['name']} ({head['title']})" if head.get("name") else text("lkjip.no_head")
    blocks = [Heading(text("lkjip.chapter1"), 1), Heading(text("lkjip.profile"), 2),
              Paragraph(text("lkjip.profile_text", agency=agency["name"], type=label("type", agency["type"]),
                             code=agency["code"], head=head_text, units=len(facts.units))),
              *_narrative(facts, "introduction")]
    if facts.units:
        rows = tuple((str(i + 1), unit["code"], unit["name"], label("type", unit["type"]),
                      ((unit.get("head") or {}).get("name") or formats.NONE)) for i, unit in enumerate(facts.units))
        blocks.append(Table((NUMBER_COLUMN, Column(text("col.code"), 1),
                             Column(text("col.name"), 3.5), Column(text("col.agency_type"), 1.4),
                             Column(text("col.head"), 2.2)), rows, caption=text("lkjip.units")))
    return [*blocks, PageBreak()]


def _planning(facts: ReportFacts) -> list:
    blocks = [Heading(text("lkjip.chapter2"), 1)]
    if facts.agreement is None:
        blocks.append(Paragraph(text("lkjip.no_agreement", year=facts.year)))
    else:
        version = facts.agreement["in_force"]
        head, superior = official(version.get("head")), official(version.get("superior"))
        blocks += [Paragraph(text("lkjip.agreement_text", year=facts.year, id=facts.agreement["id"],
                                  version=version["number"], head=head[0], superior=superior[0],
                                  signed=formats.day(version.get("signed_at")))),
                   agreement_table(version, quarterly=False)]
    return [*blocks, *_narrative(facts, "planning"), PageBreak()]


def _achievement_rows(card: dict) -> tuple[tuple[str, ...], ...]:
    rows, objective_of = [], {}
    for objective in card.get("objectives") or ():
        objective_of.update({i: objective["name"] for i in objective["indicators"]})
    for i, row in enumerate(card["indicators"]):
        rows.append((str(i + 1), objective_of.get(row["indicator_id"], formats.NONE), f"{row['code']} {row['name']}",
                     row.get("unit") or "", target_text(row.get("target")), formats.number(row.get("realised")),
                     formats.fixed(row.get("achievement")), _row_category(row)))
    return tuple(rows)


def _accountability(facts: ReportFacts) -> list:
    card, year = facts.card, facts.year
    rows = card["indicators"]
    blocks = [Heading(text("lkjip.chapter3"), 1), *_narrative(facts, "accountability"),
              Table((NUMBER_COLUMN, Column(text("col.objective"), 1.9),
                     Column(text("col.indicator"), 2.3), Column(text("col.unit"), 1.1),
                     Column(text("col.target"), 0.9, "right"), Column(text("col.realised"), 1.2, "right"),
                     Column(text("col.achievement"), 1.05, "right"), Column(text("col.category"), 1.1)),
                    _achievement_rows(card), caption=text("lkjip.achievement", year=year))]
    previous = tuple((r["code"], formats.number((r.get("previous") or {}).get("realised")),
                      formats.fixed((r.get("previous") or {}).get("achievement")), formats.number(r.get("realised")),
                      formats.fixed(r.get("achievement"))) for r in rows)
    blocks.append(Table((Column(text("col.code"), 1), Column(text("col.realised_year", year=year - 1), 1, "right"),
                         Column(text("col.achievement_year", year=year - 1), 1, "right"),
                         Column(text("col.realised_year", year=year), 1, "right"),
                         Column(text("col.achievement_year", year=year), 1, "right")), previous,
                        caption=text("lkjip.vs_previous", previous=year - 1)))
    plan = tuple((r["code"], formats.number((r.get("baseline") or {}).get("value")), formats.number(r.get("plan_target")),
                  formats.number(r.get("end_target")), formats.number(r.get("realised")),
                  formats.fixed(r.get("progress"))) for r in rows)
    blocks.append(Table((Column(text("col.code"), 1), Column(text("col.baseline"), 1, "right"),
                         Column(text("col.plan_target", year=year), 1, "right"),
                         Column(text("col.end_target"), 1, "right"), Column(text("col.realised"), 1, "right"),
                         Column(text("col.progress"), 1, "right")), plan, caption=text("lkjip.vs_plan")))
    blocks += _analysis(facts)
    blocks += _reforms(facts)
    blocks += _budget(facts)
    return [*blocks, PageBreak()]


def _analysis(facts: ReportFacts) -> list:
    blocks: list = [Heading(text("lkjip.analysis"), 2)]
    for row in facts.card["indicators"]:
        written = facts.narratives["indicators"].get(row["indicator_id"]) or {}
        blocks.append(Heading(f"{row['code']} {row['name']}: {formats.percent(row.get('achievement'))} "
                              f"({_row_category(row)})", 3))
        for part in ("analysis", "supporting", "hindering", "follow_up"):
            blocks.append(Paragraph(f"{text('narrative.' + part)}: {written.get(part) or text('lkjip.no_narrative')}"))
    return blocks


def _reforms(facts: ReportFacts) -> list:
    blocks: list = [Heading(text("lkjip.reforms"), 2)]
    if not facts.activities:
        return [*blocks, Paragraph(text("lkjip.no_reforms"))]
    codes = {row["indicator_id"]: row["code"] for row in facts.card["indicators"]}
    rows = tuple((str(i + 1), a["title"], area_name(a.get("area")), formats.day(a["end"][:10]), str(a.get("attended") or 0),
                  ", ".join(codes[i] for i in a.get("linked_indicator_ids", ()) if i in codes))
                 for i, a in enumerate(facts.activities))
    return [*blocks, Table((NUMBER_COLUMN, Column(text("col.activity"), 3),
                            Column(text("col.area"), 1.2), Column(text("col.date"), 1.3),
                            Column(text("col.attended"), 0.9, "right"), Column(text("col.indicators"), 1.4)), rows)]


def _budget(facts: ReportFacts) -> list:
    budget = (facts.agreement or {}).get("in_force", {}).get("budget") if facts.agreement else None
    if not budget:
        return [Heading(text("lkjip.budget"), 2), Paragraph(text("lkjip.no_budget"))]
    return [Heading(text("lkjip.budget"), 2), budget_table(budget)]


def _closing(facts: ReportFacts) -> list:
    own = facts.card["own"]
    signed = facts.agreement["in_force"].get("head") if facts.agreement else None
    name, title = official(signed or facts.agency.get("head"))
    return [Heading(text("lkjip.chapter4"), 1),
            Paragraph(text("lkjip.closing_lead", agency=facts.agency["name"], year=facts.year,
                           score=formats.fixed(own["score"]), category=_category(own))),
            *_narrative(facts, "closing"),
            Signatures((Signature(formats.day(facts.generated_at), title, name),)),
            PageBreak()]


def _appendix(facts: ReportFacts) -> list:
    blocks: list = [Heading(text("lkjip.appendix"), 1)]
    if facts.agreement is None:
        return [*blocks, Paragraph(text("lkjip.no_agreement", year=facts.year))]
    return [*blocks, agreement_table(facts.agreement["in_force"], quarterly=True)]


def lkjip(facts: ReportFacts) -> Document:
    agency = facts.agency
    title = f"{text('lkjip.short')} {agency['name']} {facts.year}"
    blocks = [*_cover(facts), *_summary(facts), *_introduction(facts), *_planning(facts), *_accountability(facts),
              *_closing(facts), *_appendix(facts)]
    return Document(title=title, blocks=tuple(blocks), watermark=None if facts.final else text("document.draft"),
                    footer=title, keywords=(text("lkjip.short"), agency["code"], str(facts.year)))
