"""How errors are answered: domain errors with their status, invalid input as 422 without echoing it, and
anything unexpected as a 500 that names the request id. No answer quotes the request's values."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from api import strings
from api.auth.screens import staff_error_page
from api.errors import DomainError, safe_text
from api.middleware.request_id import request_id_of

# A location step is echoed only if it looks like one of our field names (an unexpected key is input).
FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$")
MAX_MESSAGE = 300


def _loc(step: object) -> str | int:
    if isinstance(step, int):
        return step
    return step if isinstance(step, str) and FIELD_NAME.match(step) else strings.UNNAMED_FIELD


def validation_errors(errors: Any) -> list[dict[str, object]]:
    """Each error's location, message and type; pydantic's `input`, `ctx` and `url` are dropped."""
    out: list[dict[str, object]] = []
    for error in errors:
        kind = str(error.get("type", "value_error"))
        message = str(error.get("msg", ""))
        if kind == "json_invalid":
            message = strings.JSON_INVALID.format(error=(error.get("ctx") or {}).get("error", "unreadable"))
        out.append(
            {
                "loc": [_loc(step) for step in error.get("loc", ())],
                "msg": safe_text(message)[:MAX_MESSAGE],
                "type": safe_text(kind)[:MAX_MESSAGE],
            }
        )
    return out


def install_error_handlers(app: FastAPI) -> None:
    """Register the app's error handlers."""

    @app.exception_handler(RequestValidationError)
    async def invalid_input(_: Request, exc: RequestValidationError) -> Response:
        return JSONResponse({"detail": validation_errors(exc.errors())}, status_code=422)

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        exc.detail = safe_text(exc.detail)
        # Staff web screens get HTML pages (401: the sign-in form, 403: not allowed); the JSON API keeps JSON.
        page = staff_error_page(request, exc)
        if page is not None:
            return page
        return JSONResponse({"detail": safe_text(exc.detail)}, status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, _: Exception) -> Response:
        # The error itself is logged (redacted) by the server; the caller gets the id to quote.
        request_id = request_id_of(request.scope)
        return JSONResponse({"detail": strings.INTERNAL_ERROR, "request_id": request_id}, status_code=500)
