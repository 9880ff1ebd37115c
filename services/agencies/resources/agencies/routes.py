"""/api/v1/agencies: the agency registry. Routes translate HTTP into commands and queries and back."""
from flask import request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.http.auth import current_principal
from shared.http.files import XLSX, uploaded
from shared.http.context import repository
from shared.http.etag import IF_MATCH, IF_MATCH_OPTIONAL, if_match_version, with_etag
from shared.http.middleware import accepts
from shared.http.stored import stored_response
from shared.http.problems import Problem
from services.agencies import queries
from services.agencies.commands.common import AgencyContext
from services.agencies.commands.imports import import_agencies, parse_csv, parse_json, parse_xlsx
from services.agencies.commands.moves import move_agency
from services.agencies.commands.registry import deactivate_agency, reactivate_agency, register_agency, update_agency
from services.agencies.resources.agencies.schemas import (AgencyCreateSchema, AgencyListQuerySchema, AgencyPageSchema,
                                                          AgencySchema, AgencyTreeSchema, AgencyUpdateSchema,
                                                          AncestorSchema, DepthQuerySchema, DescendantPageSchema,
                                                          DescendantQuerySchema, ImportQuerySchema, ImportReportSchema,
                                                          MoveSchema, StatusChangeSchema)
from shared.http.pagination import PageQuerySchema

blp = Blueprint("agencies", __name__, url_prefix="/agencies", description="The registry of government agencies.")

STALE = {"description": "If-Match names an older version (someone changed the agency since)"}
CONFLICT = {"description": "The registry refuses the change (cycle, inactive parent, active children, type rule)"}


def agencies():
    return repository()


def context() -> AgencyContext:
    return AgencyContext(principal=current_principal(), agencies=agencies())


@blp.route("")
class Agencies(MethodView):
    @blp.arguments(AgencyListQuerySchema, location="query")
    @blp.response(200, AgencyPageSchema)
    def get(self, query):
        """List agencies the caller may read (filter, search, sort, paginate)"""
        return queries.list_agencies(current_principal(), agencies(), query)

    @blp.arguments(AgencyCreateSchema, example={"code": "1506.01", "name": "Dinas Pendidikan dan Kebudayaan",
                                                "type": "work_unit", "parent_id": "<regency id>",
                                                "head": {"name": "Drs. H. Ahmad", "title": "Kepala Dinas"}})
    @blp.response(201, AgencySchema, headers={"Location": {"description": "URL of the new agency",
                                                           "schema": {"type": "string"}},
                                              "ETag": {"description": "The agency's version", "schema": {"type": "string"}}})
    @blp.alt_response(409, description="An agency with this code already exists")
    def post(self, fields):
        """Register an agency"""
        created = register_agency(context(), fields)
        body, status, headers = with_etag(created, 201)
        return body, status, {**headers, "Location": url_for("agencies.AgencyById", agency_id=created["id"])}


@blp.route("/import")
class AgencyImport(MethodView):
    @accepts("text/csv", XLSX)
    @blp.arguments(ImportQuerySchema, location="query")
    @blp.response(200, ImportReportSchema)
    @blp.alt_response(413, description="More rows than one import takes, or a workbook over the upload limit")
    @blp.alt_response(415, description="A body that is not JSON, CSV or an Excel workbook (.xlsx)")
    @blp.doc(requestBody={"required": True, "content": {
        "application/json": {"schema": {"type": "array", "items": {"type": "object"}},
                             "example": [{"code": "1506", "name": "Pemkab Tanjung Jabung Barat", "type": "regency",
                                          "parent_code": "15"}]},
        "text/csv": {"schema": {"type": "string"},
                     "example": "code,name,type,parent_code,head_name,head_title\n"
                                "1506.01,Dinas Kesehatan,work_unit,1506,dr. Siti,Kepala Dinas\n"},
        XLSX: {"schema": {"type": "string", "format": "binary"},
               "description": "The first sheet, with the CSV's header row (codes as text cells)"}}})
    def post(self, query):
        """Import agencies from a JSON array, CSV or Excel workbook (all-or-nothing: 422 lists every bad row;
        dry_run=true only reports)"""
        if request.mimetype == XLSX:
            raw_rows = parse_xlsx(uploaded(XLSX))
        elif request.mimetype == "text/csv":
            try:
                # utf-8-sig: spreadsheet exports often start with a byte-order mark.
                raw_rows = parse_csv(request.get_data().decode("utf-8-sig"))
            except UnicodeDecodeError:
                raise Problem(400, "The CSV must be UTF-8 text.") from None
        else:
            raw_rows = parse_json(request.get_json())
        return import_agencies(context(), raw_rows, dry_run=query["dry_run"])


@blp.route("/<agency_id>")
class AgencyById(MethodView):
    @blp.response(200, AgencySchema, headers={"ETag": {"description": "The agency's version", "schema": {"type": "string"}}})
    def get(self, agency_id):
        """Get one agency (its ETag is its version)"""
        agency = queries.readable(current_principal(), agencies(), agency_id)
        return stored_response(agency, version=agency["version"])

    @blp.arguments(AgencyUpdateSchema)
    @blp.response(200, AgencySchema)
    @blp.alt_response(412, **STALE)
    @blp.doc(parameters=[IF_MATCH])
    def patch(self, fields, agency_id):
        """Change name, short name, head or contact (needs If-Match)"""
        return with_etag(update_agency(context(), agency_id, fields, if_match_version(required=True)))


@blp.route("/<agency_id>/move")
class AgencyMove(MethodView):
    @blp.arguments(MoveSchema)
    @blp.response(200, AgencySchema)
    @blp.alt_response(409, **CONFLICT)
    @blp.alt_response(412, **STALE)
    @blp.doc(parameters=[IF_MATCH_OPTIONAL])
    def post(self, fields, agency_id):
        """Move an agency (and its whole subtree) under another parent"""
        return with_etag(move_agency(context(), agency_id, fields["parent_id"], fields["reason"],
                                     if_match_version(required=False)))


@blp.route("/<agency_id>/deactivate")
class AgencyDeactivate(MethodView):
    @blp.arguments(StatusChangeSchema)
    @blp.response(200, AgencySchema)
    @blp.alt_response(409, **CONFLICT)
    @blp.alt_response(412, **STALE)
    @blp.doc(parameters=[IF_MATCH_OPTIONAL])
    def post(self, fields, agency_id):
        """Deactivate an agency (refused while it has active children)"""
        return with_etag(deactivate_agency(context(), agency_id, fields["reason"], if_match_version(required=False)))


@blp.route("/<agency_id>/reactivate")
class AgencyReactivate(MethodView):
    @blp.arguments(StatusChangeSchema)
    @blp.response(200, AgencySchema)
    @blp.alt_response(409, **CONFLICT)
    @blp.alt_response(412, **STALE)
    @blp.doc(parameters=[IF_MATCH_OPTIONAL])
    def post(self, fields, agency_id):
        """Reactivate an agency (refused under an inactive parent)"""
        return with_etag(reactivate_agency(context(), agency_id, fields["reason"], if_match_version(required=False)))


@blp.route("/<agency_id>/children")
class AgencyChildren(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, AgencyPageSchema)
    def get(self, query, agency_id):
        """Direct children, by code (paginated)"""
        return queries.children_of(current_principal(), agencies(), agency_id, query)


@blp.route("/<agency_id>/ancestors")
class AgencyAncestors(MethodView):
    @blp.response(200, AncestorSchema(many=True))
    def get(self, agency_id):
        """The path from the root down to the parent (above the caller's scope: a breadcrumb only)"""
        return queries.ancestors_of(current_principal(), agencies(), agency_id)


@blp.route("/<agency_id>/descendants")
class AgencyDescendants(MethodView):
    @blp.arguments(DescendantQuerySchema, location="query")
    @blp.response(200, DescendantPageSchema)
    def get(self, query, agency_id):
        """Every agency below this one (optionally at most max_depth levels), flat with depth, by code (paginated)"""
        return queries.descendants_of(current_principal(), agencies(), agency_id, query)


@blp.route("/<agency_id>/tree")
class AgencySubtree(MethodView):
    @blp.arguments(DepthQuerySchema, location="query")
    @blp.response(200, AgencyTreeSchema)
    def get(self, query, agency_id):
        """The agency and its subtree as nested JSON, for dashboards (at most 5,000 nodes)"""
        return queries.subtree_of(current_principal(), agencies(), agency_id, query["max_depth"])
