"""The REST input channel the API talks to, refusing every caller without the shared token."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.tokens import token_matches

log = logging.getLogger(__name__)

# The API's request id comes as this header (never in the body); a plain id only, as the API itself accepts.
REQUEST_ID_HEADER = "X-Request-ID"
ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def request_id_of(request: Request) -> str | None:
    """The caller's X-Request-ID, if it is a plain id."""
    value = request.headers.get(REQUEST_ID_HEADER) or ""
    return value if ACCEPTED_ID.match(value) else None


class TokenRestInput(RestInput):
    """Rasa's `rest` channel (same URL, /webhooks/rest/webhook) behind `Authorization: Bearer <token>`.

    Registered in bot/credentials.yml by module path with `token: ${RASA_TOKEN}`. Without it anyone who reaches
    Rasa could post as any conversation and skip the API's compliance layer.
    """

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("the REST channel needs a token (set RASA_TOKEN)")
        self.token = token

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TokenRestInput:
        """Build the channel from its credentials.yml entry."""
        return cls(str((credentials or {}).get("token") or ""))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        """Rasa's REST routes, each refused (401) without the token."""
        webhook = super().blueprint(on_new_message)

        async def require_token(request: Request) -> HTTPResponse | None:
            if token_matches(request.headers.get("Authorization"), self.token):
                return None
            return response.json({"error": "unauthorized"}, status=401)

        webhook.middleware(require_token, "request")
        return webhook

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        """The message's metadata: the API's request id from its header (logged here), nothing from the body.

        The action server reads it from the latest message, so its log line carries the id too.
        """
        request_id = request_id_of(request)
        sender = request.json.get("sender") if isinstance(request.json, dict) else None
        log.info("message for %s request_id=%s", sender, request_id)
        # Stored with the message in the tracker, which keeps only the last turns (bot/tracker_store.py).
        return {"request_id": request_id} if request_id else None
