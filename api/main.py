"""The FastAPI application: `uvicorn api.main:create_app --factory`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from api import strings
from api.auth.router import router as auth_router
from api.chat.router import router as chat_router
from api.errors import DomainError
from api.health.router import router as health_router
from api.moderation.router import router as moderation_router
from api.moderation.service import warm_up
from api.runtime import Runtime
from api.settings import Settings, get_settings
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

    app = FastAPI(title="Quelvanti HCP engagement service", version="0.1.0", lifespan=lifespan)
    app.state.runtime = runtime

    @app.exception_handler(DomainError)
    async def domain_error(_: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES)

    app.include_router(health_router)
    app.include_router(chat_router)
    app.include_router(auth_router)
    app.include_router(moderation_router)
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
