"""A request body cap that holds for chunked bodies too: bytes are counted as they are received."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import strings


class BodyTooLarge(HTTPException):
    """Raised from `receive` once the body passes the limit; an HTTPException, so FastAPI re-raises it."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=strings.BODY_TOO_LARGE.format(limit=limit))


class BodySizeLimit:
    """Answers 413 to a declared length over the limit at once, and to any body as soon as it passes it."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return

        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Stop here: the rest of the body is never read (the server closes the connection).
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = strings.BODY_TOO_LARGE.format(limit=self.max_bytes)
        response = JSONResponse({"detail": detail}, status_code=413, headers={"Connection": "close"})
        await response(scope, receive, send)
