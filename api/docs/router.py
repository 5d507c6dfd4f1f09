"""The OpenAPI schema and its browsable docs, for signed-in staff only (FastAPI's public defaults are off)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

from api.deps import AnyStaff

OPENAPI_URL = "/api/openapi.json"

router = APIRouter(prefix="/api", include_in_schema=False)


@router.get("/openapi.json")
def openapi(_: AnyStaff, request: Request) -> dict[str, Any]:
    """The OpenAPI schema of the whole app."""
    app: FastAPI = request.app
    return app.openapi()


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(_: AnyStaff, request: Request) -> HTMLResponse:
    """Swagger UI over the schema (state changes need the X-CSRF-Token header or a bearer token)."""
    return get_swagger_ui_html(openapi_url=OPENAPI_URL, title=f"{request.app.title} - API")


@router.get("/redoc", response_class=HTMLResponse)
def redoc(_: AnyStaff, request: Request) -> HTMLResponse:
    """ReDoc over the schema."""
    return get_redoc_html(openapi_url=OPENAPI_URL, title=f"{request.app.title} - API")
