"""The OpenAPI schema and its browsable docs, for signed-in staff only (FastAPI's public defaults are off)."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

from api.deps import AnyStaff

OPENAPI_URL = "/api/openapi.json"
# Swagger UI and ReDoc load from their CDN and start with one inline script: this page alone allows those,
# by the script's hash (never 'unsafe-inline' for scripts). Every other page keeps the strict policy.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' https://cdn.jsdelivr.net {hashes}; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
    "worker-src blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _with_csp(page: HTMLResponse) -> HTMLResponse:
    """The docs page with a policy that allows exactly its own inline scripts."""
    body = bytes(page.body).decode()
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in INLINE_SCRIPT.findall(body)
    ]
    page.headers["Content-Security-Policy"] = DOCS_CSP.format(hashes=" ".join(hashes))
    return page


router = APIRouter(prefix="/api", include_in_schema=False)


@router.get("/openapi.json")
def openapi(_: AnyStaff, request: Request) -> dict[str, Any]:
    """The OpenAPI schema of the whole app."""
    app: FastAPI = request.app
    return app.openapi()


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(_: AnyStaff, request: Request) -> HTMLResponse:
    """Swagger UI over the schema (state changes need the X-CSRF-Token header or a bearer token)."""
    return _with_csp(get_swagger_ui_html(openapi_url=OPENAPI_URL, title=f"{request.app.title} - API"))


@router.get("/redoc", response_class=HTMLResponse)
def redoc(_: AnyStaff, request: Request) -> HTMLResponse:
    """ReDoc over the schema."""
    return _with_csp(get_redoc_html(openapi_url=OPENAPI_URL, title=f"{request.app.title} - API"))
