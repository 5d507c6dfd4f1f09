"""GET /healthz: one line per dependency."""

from __future__ import annotations

from typing import Any

import redis
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.deps import RuntimeDep

router = APIRouter(tags=["health"])


def _database(runtime: Any) -> tuple[bool, str]:
    try:
        with runtime.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True, runtime.engine.dialect.name
    except Exception as exc:  # health reports any failure as a red line
        return False, f"{type(exc).__name__}: {exc}"[:200]


def _redis(url: str) -> tuple[bool, str]:
    try:
        client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        try:
            return bool(client.ping()), "PONG"
        finally:
            client.close()
    except redis.RedisError as exc:
        return False, f"{type(exc).__name__}: {exc}"[:200]


@router.get("/healthz")
def healthz(runtime: RuntimeDep) -> JSONResponse:
    """Report each dependency; 503 if any is down."""
    content_errors = runtime.content.library.errors
    checks = {
        "database": _database(runtime),
        "redis": _redis(runtime.settings.redis_url),
        "rasa": runtime.assistant.rasa_ready(),
        "action_server": runtime.assistant.action_server_ready(),
        "content": (not content_errors, f"{len(content_errors)} content errors"),
    }
    healthy = all(ok for ok, _ in checks.values())
    body = {
        "status": "ok" if healthy else "degraded",
        "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()},
    }
    return JSONResponse(body, status_code=200 if healthy else 503)
