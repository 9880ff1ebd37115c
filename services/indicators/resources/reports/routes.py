"""Files of an agency's year: the annual report (LKjIP) as PDF and DOCX and its narratives, the
performance agreement's document, the scorecard and ranking as XLSX and CSV. Read permissions are those
of the data inside (the scorecard's)."""
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.documents import docx, pdf
from shared.errors import Invalid
from shared.http.auth import current_principal
from shared.http.etag import with_etag
from shared.http.files import CSV, DOCX, PDF, XLSX, download, file_response
from shared.spreadsheets import csv_chunks, xlsx_chunks
from services.indicators import queries
from services.indicators.commands.narratives import write_chapter, write_indicator_narrative
from services.indicators.domain.narratives import CHAPTERS, empty, narrative_id
from services.indicators.reports.facts import agreement_facts, report_facts
from services.indicators.reports.lkjip import lkjip
from services.indicators.reports.pk import pk
from services.indicators.reports.sheets import indicators_sheet, ranking_sheet, units_sheet
from services.indicators.resources.common import context, repo
from services.indicators.resources.reports.schemas import (ChapterSchema, DocumentVersionQuerySchema,
                                                           IndicatorNarrativeSchema, NarrativesSchema, SheetQuerySchema)
from services.indicators.resources.scorecards.schemas import PeriodQuerySchema

blp = Blueprint("reports", __name__, url_prefix="",
                description="Files to hand in, print or keep offline: the LKjIP, the PK document, scorecards as "
                            "sheets.")

RENDERERS = {"pdf": (pdf.render, PDF), "docx": (docx.render, DOCX)}


def _year(value: int) -> int:
    if not 1990 <= value <= 2100:
        raise Invalid.field("year", "a year between 1990 and 2100")
    return value


@blp.route("/agencies/<agency_id>/reports/<int:year>/lkjip.<any(pdf, docx):extension>")
class AnnualReport(MethodView):
    @blp.doc(responses=download((PDF, DOCX), "The LKjIP as PDF (lkjip.pdf) or DOCX (lkjip.docx)"))
    def get(self, agency_id, year, extension):
        """The agency's annual performance report (LKjIP) for the year, as PDF or DOCX: a watermarked draft until
        the year is locked for the agency, then final, naming the rule pack and agreement versions it used"""
        facts = report_facts(current_principal(), repo(), agency_id, _year(year))
        render, media_type = RENDERERS[extension]
        final = "" if facts.final else "-draf"
        return file_response(render(lkjip(facts)), media_type,
                             f"LKjIP-{facts.agency['code']}-{year}{final}.{extension}")


@blp.route("/agencies/<agency_id>/reports/<int:year>/narratives")
class Narratives(MethodView):
    @blp.response(200, NarrativesSchema)
    def get(self, agency_id, year):
        """The report's narratives of the year: per chapter and per indicator"""
        queries.readable_agency(current_principal(), repo(), agency_id)
        return repo().narratives.get(narrative_id(agency_id, _year(year))) or {**empty(agency_id, year), "version": None}


@blp.route("/agencies/<agency_id>/reports/<int:year>/narratives/chapters/<any(" + ", ".join(CHAPTERS) + "):chapter>")
class ChapterNarrative(MethodView):
    @blp.arguments(ChapterSchema)
    @blp.response(200, NarrativesSchema)
    @blp.alt_response(409, description="The year is locked for the agency")
    def put(self, fields, agency_id, year, chapter):
        """Write a chapter's text (summary, introduction, planning, accountability or closing)"""
        return with_etag(write_chapter(context(), agency_id, _year(year), chapter, fields["text"]))


@blp.route("/agencies/<agency_id>/reports/<int:year>/narratives/indicators/<indicator_id>")
class IndicatorNarrative(MethodView):
    @blp.arguments(IndicatorNarrativeSchema)
    @blp.response(200, NarrativesSchema)
    @blp.alt_response(409, description="The year is locked for the agency")
    def put(self, fields, agency_id, year, indicator_id):
        """Write an indicator's analysis, supporting and hindering factors and follow-up (the parts given)"""
        if not fields:
            raise Invalid.field("body", "give at least one of analysis, supporting, hindering, follow_up")
        return with_etag(write_indicator_narrative(context(), agency_id, _year(year), indicator_id, fields))


@blp.route("/performance-agreements/<agreement_id>/document.pdf")
class AgreementDocument(MethodView):
    @blp.arguments(DocumentVersionQuerySchema, location="query")
    @blp.doc(responses=download(PDF, "The agreement as it is printed and signed"))
    def get(self, query, agreement_id):
        """The performance agreement (PK) as PDF: statement, targets (annual and quarterly), budget, place and
        date, the two signature blocks (a draft prints watermarked)"""
        agreement, content, agency = agreement_facts(current_principal(), repo(), agreement_id, query.get("version"))
        number = f"-v{content['number']}" if content.get("number") else "-draf"
        return file_response(pdf.render(pk(agreement, content, agency)), PDF,
                             f"PK-{agency['code']}-{agreement['year']}{number}.pdf")


@blp.route("/agencies/<agency_id>/scorecard.xlsx")
class ScorecardWorkbook(MethodView):
    @blp.arguments(PeriodQuerySchema, location="query")
    @blp.doc(responses=download(XLSX, "Sheets Indikator, Unit and Peringkat"))
    def get(self, query, agency_id):
        """The scorecard as a workbook: its indicators with the report's comparisons, its units, the ranking"""
        principal = current_principal()
        card = queries.scorecard(principal, repo(), agency_id, query["period"])
        ranking = queries.rankings(principal, repo(), agency_id, query["period"])
        sheets = [indicators_sheet(card), units_sheet(card), ranking_sheet(ranking)]
        return file_response(xlsx_chunks(sheets), XLSX, f"Kartu-Kinerja-{card['agency']['code']}-{card['period']}.xlsx")


@blp.route("/agencies/<agency_id>/scorecard.csv")
class ScorecardCsv(MethodView):
    @blp.arguments(SheetQuerySchema, location="query")
    @blp.doc(responses=download(CSV, "One sheet of the scorecard; `;`-separated, decimal comma (Excel in id-ID)"))
    def get(self, query, agency_id):
        """One sheet of the scorecard as CSV: its indicators (default) or its units"""
        card = queries.scorecard(current_principal(), repo(), agency_id, query["period"])
        sheet = indicators_sheet(card) if query["sheet"] == "indicators" else units_sheet(card)
        return file_response(csv_chunks(sheet), CSV,
                             f"Kartu-Kinerja-{card['agency']['code']}-{card['period']}-{query['sheet']}.csv")


@blp.route("/agencies/<agency_id>/rankings.<any(xlsx, csv):extension>")
class RankingFile(MethodView):
    @blp.arguments(PeriodQuerySchema, location="query")
    @blp.doc(responses=download((XLSX, CSV), "The ranking (rankings.xlsx or rankings.csv)"))
    def get(self, query, agency_id, extension):
        """The agency's units ranked by their roll-up score, as XLSX or CSV"""
        ranking = queries.rankings(current_principal(), repo(), agency_id, query["period"])
        sheet = ranking_sheet(ranking)
        name = f"Peringkat-{ranking['agency']['code']}-{ranking['period']}.{extension}"
        if extension == "csv":
            return file_response(csv_chunks(sheet), CSV, name)
        return file_response(xlsx_chunks([sheet]), XLSX, name)
