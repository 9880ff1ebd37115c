"""/api/v1/agencies/{id}/templates: Excel templates to fill in offline (reporting: realisations of a period;
planning: targets of a year), and their upload (dry_run=true first: every bad cell, nothing written)."""
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.http.auth import current_principal
from shared.http.files import XLSX, download, file_response, upload_body, uploaded
from shared.http.middleware import accepts
from shared.spreadsheets import read_xlsx, xlsx_chunks
from shared.messages import text
from services.indicators import queries
from services.indicators.commands.common import period_of
from services.indicators.commands.imports import (MAX_ROWS, import_planning, import_reporting, planning_entries,
                                                  reporting_entries)
from services.indicators.reports.templates import planning_template, reporting_template
from services.indicators.resources.common import context, repo
from services.indicators.resources.scorecards.schemas import PeriodQuerySchema
from services.indicators.resources.templates.schemas import (PlanningImportSchema, PlanningUploadQuerySchema,
                                                             ReportingImportSchema, ReportingUploadQuerySchema,
                                                             YearQuerySchema)

blp = Blueprint("templates", __name__, url_prefix="/agencies",
                description="Excel templates for the work done offline, and their upload.")

UPLOAD_ERRORS = {413: "Larger than the upload limit, more rows than one upload takes, or unpacking to too much",
                 415: "Not an Excel workbook (.xlsx)", 422: "Bad cells (`cells`: sheet, row, column, reason); "
                                                         "nothing was written"}


def _workbook(sheet_key: str) -> dict:
    return read_xlsx(uploaded(XLSX), [text(sheet_key)], max_rows=MAX_ROWS)


@blp.route("/<agency_id>/templates/reporting.xlsx")
class ReportingTemplate(MethodView):
    @blp.arguments(PeriodQuerySchema, location="query")
    @blp.doc(responses=download(XLSX, "The reporting template of the subtree for the period"))
    def get(self, query, agency_id):
        """The reporting template: a row per active indicator of the agency's subtree and period inside the chosen
        one (2025: every month, quarter or year), prefilled with what is recorded"""
        agency = queries.readable_agency(current_principal(), repo(), agency_id)
        period = period_of(query["period"])
        sheets = reporting_template(agency, period, reporting_entries(repo(), agency_id, period))
        return file_response(xlsx_chunks(sheets), XLSX, f"Templat-Realisasi-{agency['code']}-{period}.xlsx")


@blp.route("/<agency_id>/templates/reporting")
class ReportingUpload(MethodView):
    @accepts(XLSX)
    @blp.arguments(ReportingUploadQuerySchema, location="query")
    @blp.response(200, ReportingImportSchema)
    @blp.doc(requestBody=upload_body(XLSX, "The reporting template, filled in"),
             responses={status: {"description": why} for status, why in UPLOAD_ERRORS.items()})
    def post(self, query, agency_id):
        """Upload a filled-in reporting template: realisations recorded as drafts, or submitted where Ajukan is Ya
        (never verified); rows already as recorded are unchanged"""
        return import_reporting(context(), agency_id, query["period"], _workbook("sheet.realisations"),
                                query["dry_run"])


@blp.route("/<agency_id>/templates/planning.xlsx")
class PlanningTemplate(MethodView):
    @blp.arguments(YearQuerySchema, location="query")
    @blp.doc(responses=download(XLSX, "The planning template of the subtree for the year"))
    def get(self, query, agency_id):
        """The planning template: a row per active indicator of the subtree and period of the year a target may
        be set for, with the target in force"""
        agency = queries.readable_agency(current_principal(), repo(), agency_id)
        sheets = planning_template(agency, query["year"], planning_entries(repo(), agency_id, query["year"]))
        return file_response(xlsx_chunks(sheets), XLSX, f"Templat-Target-{agency['code']}-{query['year']}.xlsx")


@blp.route("/<agency_id>/templates/planning")
class PlanningUpload(MethodView):
    @accepts(XLSX)
    @blp.arguments(PlanningUploadQuerySchema, location="query")
    @blp.response(200, PlanningImportSchema)
    @blp.doc(requestBody=upload_body(XLSX, "The planning template, filled in"),
             responses={status: {"description": why} for status, why in UPLOAD_ERRORS.items()})
    def post(self, query, agency_id):
        """Upload a filled-in planning template: targets set or revised (a revision needs its reason; a target of a
        signed agreement is refused, naming the agreement)"""
        return import_planning(context(), agency_id, query["year"], _workbook("sheet.targets"), query["dry_run"])
