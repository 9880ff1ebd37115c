"""The performance agreement (Perjanjian Kinerja) as it is printed and signed: the statement of the two
parties, the table of objectives, indicators, annual and quarterly targets, the budget when there is one,
the place and date, and the two signature blocks. Pure."""
from __future__ import annotations

from typing import Mapping

from shared import formats
from shared.documents.model import Document, Heading, Paragraph, Signature, Signatures
from shared.messages import text
from services.indicators.reports.common import agreement_table, budget_table, official


def pk(agreement: Mapping, content: Mapping, agency: Mapping) -> Document:
    """`content`: the version to print (or the draft: `number` None, printed with the draft watermark)."""
    year = agreement["year"]
    head, superior = official(content.get("head")), official(content.get("superior"))
    signed = content.get("number") is not None
    reason = text("pk.revision_reason", reason=content["reason"]) if content.get("reason") else ""
    place = content.get("place") or "................"
    day = formats.day(content["signed_at"]) if signed and content.get("signed_at") else "...................."
    blocks = [Heading(text("pk.title", year=year).upper(), 1), Paragraph(agency["name"].upper(), "big"),
              Paragraph(text("pk.version", version=content["number"], reason=reason) if signed
                        else text("pk.unsigned"), "center"),
              Paragraph(text("pk.statement")),
              Paragraph(text("pk.party", name=head[0], title=head[1], n=text("pk.first")), "quote"),
              Paragraph(text("pk.party", name=superior[0], title=superior[1], n=text("pk.second")), "quote"),
              Paragraph(text("pk.pledge")),
              agreement_table(content, quarterly=True, caption=text("pk.targets"))]
    if content.get("budget"):
        blocks += [Heading(text("lkjip.budget"), 3), budget_table(content["budget"])]
    blocks.append(Signatures((Signature("", text("pk.second_party"), superior[0], superior[1]),
                              Signature(f"{place}, {day}", text("pk.first_party"), head[0], head[1]))))
    title = f"{text('pk.title', year=year)} {agency['name']}"
    return Document(title=title, blocks=tuple(blocks), watermark=None if signed else text("document.draft"),
                    footer=f"{title} — {agreement['id']}", landscape=False,
                    keywords=("PK", agency["code"], str(year)))
