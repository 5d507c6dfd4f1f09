"""The FastAPI application: `uvicorn api.main:create_app --factory`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.ae_cases.router import router as ae_cases_router
from api.ae_cases.screens import router as ae_cases_screens_router
from api.audit.router import router as audit_router
from api.auth.router import router as auth_router
from api.auth.screens import router as auth_screens_router
from api.chat.router import router as chat_router
from api.content.screens import router as content_screens_router
from api.deps import PUBLIC
from api.docs.router import router as docs_router
from api.error_handlers import install_error_handlers
from api.hcp_profiles.router import admin_router as hcp_profiles_admin_router
from api.hcp_profiles.router import router as hcp_profiles_router
from api.hcp_profiles.screens import router as hcp_profiles_screens_router
from api.health.router import router as health_router
from api.insights.screens import api_router as insights_api_router
from api.insights.screens import router as insights_screens_router
from api.jobs import install_request_id_headers
from api.logging_config import configure_logging
from api.metrics.collectors import build_registry
from api.metrics.http import RequestMetrics
from api.metrics.router import router as metrics_router
from api.middleware.body_limit import BodySizeLimit
from api.middleware.input_guard import InputGuard
from api.middleware.request_id import RequestId
from api.middleware.security_headers import SecurityHeaders, check_frame_ancestors
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


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for a deployment's settings."""
    settings = settings or get_settings()
    configure_logging(settings, "api")
    install_request_id_headers()
    runtime = Runtime.build(settings)

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
    app.state.metrics_registry = build_registry(runtime.sessions, settings.redis_url, settings.celery_queue)
    install_error_handlers(app)

    # Added innermost first: the request id wraps everything, so even a 413 is logged and counted with it.
    app.add_middleware(InputGuard)
    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES)
    frame_ancestors = check_frame_ancestors(settings.frame_ancestors)  # refused at start, not at first request
    app.add_middleware(
        SecurityHeaders, frame_ancestors=frame_ancestors, production=settings.environment == "production"
    )
    app.add_middleware(RequestMetrics)
    app.add_middleware(RequestId)

    app.include_router(health_router, dependencies=[PUBLIC])  # probes need no account
    app.include_router(chat_router)
    app.include_router(auth_router)
    app.include_router(moderation_router)
    app.include_router(web_router)
    app.include_router(auth_screens_router)
    app.include_router(review_queue_screens_router)
    app.include_router(content_screens_router)
    app.include_router(hcp_profiles_router)
    app.include_router(hcp_profiles_admin_router)
    app.include_router(hcp_profiles_screens_router)
    app.include_router(insights_screens_router)
    app.include_router(insights_api_router)
    app.include_router(review_queue_router)
    app.include_router(ae_cases_screens_router)
    app.include_router(ae_cases_router)
    app.include_router(verbatim_router)
    app.include_router(audit_router)
    app.include_router(docs_router)
    app.include_router(metrics_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
