"""Accepts or makes the request id, binds it to every log line of the request, and logs one line per request."""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.logging_config import REQUEST_ID_HEADER, LogContext, bind, unbind

# A caller's id is kept if it is short and plain (it is written to logs and passed to Rasa and the worker).
ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
SCOPE_KEY = "hcp.request_id"
access_log = logging.getLogger("api.access")


def request_id_of(scope: Scope) -> str | None:
    """The id the middleware gave this request (also after its log context is gone, e.g. in a 500 handler)."""
    value = scope.get(SCOPE_KEY)
    return value if isinstance(value, str) else None


class RequestId:
    """X-Request-ID in and out; the access line has method, route template, status and time, never the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        supplied = dict(scope["headers"]).get(REQUEST_ID_HEADER.lower().encode(), b"").decode("latin-1")
        request_id = supplied if ACCEPTED_ID.match(supplied) else uuid.uuid4().hex
        scope[SCOPE_KEY] = request_id
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        token = bind(LogContext(request_id=request_id, scope=scope))
        try:
            await self.app(scope, receive, send_with_id)
        except BaseException:
            # Left bound: the server logs the error next, in this request's own task and context.
            self._log(scope, 500, started)
            raise
        self._log(scope, status, started)
        unbind(token)

    @staticmethod
    def _log(scope: Scope, status: int, started: float) -> None:
        elapsed_ms = (time.perf_counter() - started) * 1000
        access_log.info("%s %s %d %.1fms", scope["method"], _route(scope), status, elapsed_ms)


def _route(scope: Scope) -> str:
    """The route template ("/api/v1/conversations/{conversation_id}"), never the path with its values."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) else "(unmatched)"
