"""Probes: /livez (this process answers) and /readyz (every dependency can serve; /healthz is its alias)."""

from __future__ import annotations

from typing import Any

import redis
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.deps import RuntimeDep

router = APIRouter(tags=["health"])
PROBE_TIMEOUT_SECONDS = 1.0


def _database(runtime: Any) -> tuple[bool, str]:
    try:
        with runtime.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True, runtime.engine.dialect.name
    except Exception as exc:  # health reports any failure as a red line
        return False, type(exc).__name__


def _broker(url: str) -> tuple[bool, str]:
    try:
        client = redis.Redis.from_url(
            url, socket_timeout=PROBE_TIMEOUT_SECONDS, socket_connect_timeout=PROBE_TIMEOUT_SECONDS
        )
        try:
            return bool(client.ping()), "PONG"
        finally:
            client.close()
    except redis.RedisError as exc:
        return False, type(exc).__name__


@router.get("/livez")
def livez() -> dict[str, str]:
    """Liveness: the process answers. Restart it only when this fails, never because a dependency is down."""
    return {"status": "alive"}


@router.get("/readyz")
def readyz(runtime: RuntimeDep) -> JSONResponse:
    """Readiness: database, broker, a Rasa with a model loaded, the action server, valid content; 503 if not."""
    content_errors = runtime.content.library.errors
    checks = {
        "database": _database(runtime),
        "redis": _broker(runtime.settings.redis_url),
        "rasa": runtime.assistant.rasa_ready(),
        "action_server": runtime.assistant.action_server_ready(),
        "content": (not content_errors, f"{len(content_errors)} content errors"),
    }
    ready = all(ok for ok, _ in checks.values())
    body = {
        "status": "ok" if ready else "degraded",
        "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()},
    }
    return JSONResponse(body, status_code=200 if ready else 503)


# Older probes and monitors call /healthz: it is readiness, with the same answer.
router.add_api_route("/healthz", readyz, methods=["GET"], summary="Healthz (alias of /readyz)")
