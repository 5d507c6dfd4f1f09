"""Refuses NUL characters in URLs and bodies with a 4xx before anything parses them.

No field of this service means anything with a NUL in it, and PostgreSQL refuses NUL in every text
value (a query with one fails with a 500). A JSON body can carry one only as the escape `\\u0000`, a form
or a URL only as `%00`; the body is scanned as it streams, chunk by chunk, never buffered here.
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import strings

# `\u0000` preceded by an even number of backslashes (an odd one would make it the text "\u0000").
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
FORM_NUL = re.compile(rb"%00")
# Enough of the previous chunk to find an escape cut in two (the backslash run before it may be long:
# only its parity matters, and a run longer than this is not worth the bytes).
OVERLAP = 64


class NulRefused(HTTPException):
    """Raised from `receive`; an HTTPException, so FastAPI re-raises it and answers with its status."""

    def __init__(self) -> None:
        super().__init__(status_code=422, detail=strings.NUL_REFUSED)


def _pattern(scope: Scope) -> re.Pattern[bytes] | None:
    content_type = dict(scope["headers"]).get(b"content-type", b"").split(b";")[0].strip().lower()
    if content_type == b"application/json" or content_type.endswith(b"+json"):
        return JSON_NUL
    if content_type == b"application/x-www-form-urlencoded":
        return FORM_NUL
    return None


class InputGuard:
    """400 for a NUL in the path or query string; 422 for one in a JSON or form body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        if b"%00" in raw_path or "\x00" in scope["path"] or b"%00" in scope["query_string"]:
            await JSONResponse({"detail": strings.NUL_REFUSED}, status_code=400)(scope, receive, send)
            return
        pattern = _pattern(scope)
        if pattern is None:
            await self.app(scope, receive, send)
            return
        tail = b""

        async def scanned_receive() -> Message:
            nonlocal tail
            message = await receive()
            if message["type"] == "http.request":
                window = tail + message.get("body", b"")
                match = pattern.search(window)
                if match and match.end() > len(tail):  # a match inside the old tail was already refused
                    raise NulRefused
                tail = window[-OVERLAP:]
            return message

        started = False

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, scanned_receive, tracked_send)
        except NulRefused:
            if started:
                raise
            await JSONResponse({"detail": strings.NUL_REFUSED}, status_code=422)(scope, receive, send)
