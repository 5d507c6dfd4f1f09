"""Request latency by route template (never by raw path: ids would make a series per conversation)."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics.definitions import REQUEST_LATENCY

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class RequestMetrics:
    """Observes every HTTP request's duration, labelled with method, route template and status."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def send_observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_observed)
        finally:
            path = getattr(scope.get("route"), "path", None)
            method = scope["method"] if scope["method"] in METHODS else "OTHER"
            REQUEST_LATENCY.labels(
                method=method, route=path if isinstance(path, str) else "(unmatched)", status=str(status)
            ).observe(time.perf_counter() - started)
