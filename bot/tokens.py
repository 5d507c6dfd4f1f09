"""Shared-secret checks for the bot's internal endpoints (imports no Rasa: the action server image lacks it)."""

from __future__ import annotations

import hmac


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer ...` header value, or an empty string."""
    scheme, _, value = (authorization or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def token_matches(authorization: str | None, expected: str) -> bool:
    """Whether the header carries the expected token (constant time); an empty expected token never matches."""
    provided = bearer_token(authorization)
    return bool(expected) and hmac.compare_digest(provided.encode(), expected.encode())
