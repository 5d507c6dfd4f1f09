"""The marketer's dashboard (`/insights`), its CSV exports and a JSON form, all from the projection alone."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from api import strings
from api.auth.roles import Role
from api.auth.screens import render
from api.deps import PUBLIC, Access, SessionDep
from api.errors import InvalidInput, NotFound
from api.insights import cache, charts, service, themes
from api.insights.service import STAGES, Filters, Table
from api.middleware.security_headers import content_security_policy

DASHBOARD_PATH = "/staff/insights"
MAX_RANGE_DAYS = 731
# The dashboard's tables, in the order shown.
TABLES = ("topic_demand", "themes", "content_performance", "funnel", "specialties", "compliance")
CHARTS: dict[str, Callable[[Table], str]] = {
    "topic_demand": charts.topic_demand,
    "themes": charts.themes,
    "content_performance": charts.content_performance,
    "funnel": charts.funnel,
    "specialties": charts.specialties,
    "compliance": charts.compliance,
}
# Insights pages are never framed, whatever the brand pages allow.
NEVER_FRAMED_CSP = content_security_policy(["'none'"])

MARKETER = Depends(Access(Role.MARKETER))
router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1/insights", tags=["insights"])


def _day(value: str | None, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(strings.INSIGHTS_FILTER_INVALID.format(field=field, value=value[:20])) from None


def parse_filters(request: Request, today: dt.date | None = None) -> Filters:
    """The filters of a request's query string (the last DEFAULT_DAYS by default)."""
    params = request.query_params
    default = Filters.default(today or dt.datetime.now(dt.UTC).date())
    start = _day(params.get("start"), "start") or default.start
    end = _day(params.get("end"), "end") or default.end
    if end < start or (end - start).days > MAX_RANGE_DAYS:
        raise InvalidInput(strings.INSIGHTS_FILTER_INVALID.format(field="end", value=end.isoformat()))
    stage = params.get("stage") or None
    if stage is not None and stage not in STAGES:
        raise InvalidInput(strings.INSIGHTS_FILTER_INVALID.format(field="stage", value=stage[:20]))
    specialty = (params.get("specialty") or "")[:80] or None
    return Filters(start=start, end=end, specialty=specialty, stage=stage)


def all_tables(session: Session, filters: Filters) -> dict[str, Table]:
    """Every dashboard table for the filters (from the cache while the projection is unchanged)."""
    return cache.cached(session, "tables", filters, lambda: _compute(session, filters))


def _compute(session: Session, filters: Filters) -> dict[str, Table]:
    tables = service.event_tables(session, filters)
    tables["themes"] = themes.themes_table(session, filters)
    tables["funnel"] = service.funnel(session, filters)
    return {name: tables[name] for name in TABLES}


def all_charts(session: Session, filters: Filters, tables: dict[str, Table]) -> list[tuple[Table, str]]:
    """Every table with its chart (SVG)."""
    return cache.cached(
        session, "charts", filters, lambda: [(tables[name], CHARTS[name](tables[name])) for name in TABLES]
    )


def _unframed(response: Response) -> Response:
    response.headers["content-security-policy"] = NEVER_FRAMED_CSP
    response.headers["x-frame-options"] = "DENY"
    response.headers["cache-control"] = "no-store"
    return response


@router.get("/insights", dependencies=[PUBLIC])
def insights_entry() -> RedirectResponse:
    """The dashboard's short address: it lives with the other staff screens (sign-in, roles, never framed)."""
    return RedirectResponse(DASHBOARD_PATH, status_code=303)


@router.get(DASHBOARD_PATH, response_class=HTMLResponse, dependencies=[MARKETER])
def dashboard(request: Request, session: SessionDep) -> Response:
    """Topic demand, themes, content performance, funnel, specialties and compliance counts, with filters."""
    filters = parse_filters(request)
    sections = all_charts(session, filters, all_tables(session, filters))
    context: dict[str, Any] = {
        "filters": filters,
        "sections": sections,
        "stages": STAGES,
        "specialties": service.specialty_choices(session),
        "query": filters.query(),
        "k": service.K_ANONYMITY,
    }
    return _unframed(render(request, "insights.html", context))


@router.get(DASHBOARD_PATH + "/charts.css", dependencies=[MARKETER])
def chart_styles() -> Response:
    """The charts' stylesheet (served from this origin: the CSP allows no inline style)."""
    return Response(charts.stylesheet(), media_type="text/css", headers={"cache-control": "private, max-age=3600"})


def to_csv(table: Table) -> str:
    """A table as CSV (a header row, then the k-suppressed rows)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.columns)
    for row in table.rows:
        # A cell starting with = + - @ would be a formula in a spreadsheet: quote it as text.
        writer.writerow([f"'{c}" if isinstance(c, str) and c[:1] in "=+-@" else c for c in row])
    return out.getvalue()


@router.get(DASHBOARD_PATH + "/export/{name}.csv", dependencies=[MARKETER])
def export_csv(name: str, request: Request, session: SessionDep) -> Response:
    """One dashboard table as CSV, with the same filters."""
    if name not in TABLES:
        raise NotFound("insights table", name[:40])
    table = all_tables(session, parse_filters(request))[name]
    headers = {"content-disposition": f'attachment; filename="insights-{name}.csv"'}
    return _unframed(Response(to_csv(table), media_type="text/csv", headers=headers))


@api_router.get("", dependencies=[MARKETER])
def insights_json(request: Request, session: SessionDep) -> dict[str, Any]:
    """Every dashboard table as JSON (k-suppressed, de-identified)."""
    filters = parse_filters(request)
    return {
        "filters": filters.query(),
        "k_anonymity": service.K_ANONYMITY,
        "tables": {
            name: {"title": t.title, "columns": t.columns, "rows": t.rows, "suppressed": t.suppressed}
            for name, t in all_tables(session, filters).items()
        },
    }
