"""The FastAPI application: `uvicorn api.main:create_app --factory`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from api import strings
from api.audit.router import router as audit_router
from api.auth.router import router as auth_router
from api.auth.screens import router as auth_screens_router
from api.auth.screens import staff_error_page
from api.chat.router import router as chat_router
from api.deps import PUBLIC
from api.docs.router import router as docs_router
from api.errors import DomainError
from api.health.router import router as health_router
from api.moderation.router import router as moderation_router
from api.moderation.service import warm_up
from api.review_queue.router import router as review_queue_router
from api.review_queue.screens import router as review_queue_screens_router
from api.runtime import Runtime
from api.settings import Settings, get_settings
from api.verbatim.router import router as verbatim_router
from api.web.router import STATIC_DIR
from api.web.router import router as web_router

MAX_BODY_BYTES = 64 * 1024


class BodySizeLimit:
    """Refuses declared bodies over a limit (413) as plain ASGI, without per-request task overhead."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = dict(scope["headers"]).get(b"content-length")
            if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
                detail = strings.BODY_TOO_LARGE.format(limit=self.max_bytes)
                await JSONResponse({"detail": detail}, status_code=413)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for a deployment's settings."""
    runtime = Runtime.build(settings or get_settings())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        warm_up()  # build the compliance pipeline before the first HCP message
        yield
        runtime.close()

    # The schema and docs are served to signed-in staff only, by api.docs.router.
    app = FastAPI(
        title="Quelvanti HCP engagement service",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.runtime = runtime

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        # Staff web screens get HTML pages (401: the sign-in form, 403: not allowed); the JSON API keeps JSON.
        page = staff_error_page(request, exc)
        if page is not None:
            return page
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES)

    app.include_router(health_router, dependencies=[PUBLIC])  # probes need no account
    app.include_router(chat_router)
    app.include_router(auth_router)
    app.include_router(moderation_router)
    app.include_router(web_router)
    app.include_router(auth_screens_router)
    app.include_router(review_queue_screens_router)
    app.include_router(review_queue_router)
    app.include_router(verbatim_router)
    app.include_router(audit_router)
    app.include_router(docs_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
