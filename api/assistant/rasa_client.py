"""HTTP client for the Rasa server's REST channel and the action server's health endpoint."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx


class AssistantUnavailable(Exception):
    """Rasa or its action server could not produce an answer."""


@dataclass(frozen=True)
class AssistantTurn:
    """The structured payloads the action server sent for one message, as Rasa relayed them."""

    payloads: tuple[dict[str, Any], ...]
    elapsed_ms: float
    extras: dict[str, Any] = field(default_factory=dict)


class RasaClient:
    """Talks to Rasa over HTTP; one pooled client per process."""

    def __init__(self, rasa_url: str, action_server_url: str, timeout_seconds: float) -> None:
        self._rasa = httpx.Client(base_url=rasa_url, timeout=httpx.Timeout(timeout_seconds, connect=2.0))
        self._actions = httpx.Client(base_url=action_server_url, timeout=httpx.Timeout(2.0))

    def send(self, sender_id: str, text: str) -> AssistantTurn:
        """Send one (already moderated) message and return the action server's payloads."""
        started = time.perf_counter()
        try:
            response = self._rasa.post("/webhooks/rest/webhook", json={"sender": sender_id, "message": text})
            response.raise_for_status()
            messages = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise AssistantUnavailable(f"Rasa did not answer: {exc!r}") from exc
        elapsed_ms = (time.perf_counter() - started) * 1000
        if not isinstance(messages, list):
            raise AssistantUnavailable("Rasa answered with something other than a list of messages")
        payloads = tuple(
            m["custom"] for m in messages if isinstance(m, dict) and isinstance(m.get("custom"), dict)
        )
        if not payloads:
            # Rasa answers with no messages when the action server is down.
            raise AssistantUnavailable("Rasa relayed no action payload (is the action server up?)")
        return AssistantTurn(payloads=payloads, elapsed_ms=elapsed_ms)

    def rasa_ready(self) -> tuple[bool, str]:
        """Whether Rasa is up with a model loaded."""
        try:
            response = self._rasa.get("/status", timeout=2.0)
            if response.status_code == 200:
                return True, "model loaded"
            response = self._rasa.get("/", timeout=2.0)
            return response.status_code == 200, f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            return False, f"unreachable: {type(exc).__name__}"

    def action_server_ready(self) -> tuple[bool, str]:
        """Whether the action server answers its health check."""
        try:
            response = self._actions.get("/health")
            return response.status_code == 200, f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            return False, f"unreachable: {type(exc).__name__}"

    def close(self) -> None:
        """Release pooled connections."""
        self._rasa.close()
        self._actions.close()
