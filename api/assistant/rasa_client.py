"""HTTP client for the Rasa replicas' REST channel and HTTP API, and the action server's health endpoint."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from api.settings import Settings

# A replica that refused a connection is tried last for this long (it is probably restarting).
REPLICA_DOWN_SECONDS = 5.0
PROBE_TIMEOUT_SECONDS = 2.0
# The API's request id, as the API itself takes it (api.logging_config.REQUEST_ID_HEADER).
REQUEST_ID_HEADER = "X-Request-ID"


class AssistantUnavailable(Exception):
    """Rasa or its action server could not produce an answer."""


@dataclass(frozen=True)
class AssistantTurn:
    """The structured payloads the action server sent for one message, as Rasa relayed them."""

    payloads: tuple[dict[str, Any], ...]
    elapsed_ms: float
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Replica:
    url: str
    http: httpx.Client
    in_flight: int = 0
    down_until: float = 0.0
    answered: int = 0


class RasaClient:
    """Talks to N Rasa replicas over HTTP; one pooled client per replica and process.

    Every replica shares one tracker store and lock store, so any of them may take any message: each message goes
    to the least busy replica (round-robin among equals), and to the next one if a replica refuses the connection.
    """

    def __init__(
        self,
        rasa_urls: str | Sequence[str],
        action_server_url: str,
        timeout_seconds: float,
        token: str = "",
    ) -> None:
        urls = [rasa_urls] if isinstance(rasa_urls, str) else list(rasa_urls)
        if not urls:
            raise ValueError("at least one Rasa URL is needed")
        timeout = httpx.Timeout(timeout_seconds, connect=PROBE_TIMEOUT_SECONDS)
        # The REST channel takes the token as a bearer header; Rasa's HTTP API (/status) as ?token=.
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._replicas = [
            _Replica(url, httpx.Client(base_url=url, timeout=timeout, headers=headers)) for url in urls
        ]
        self._api_params = {"token": token} if token else {}
        self._actions = httpx.Client(base_url=action_server_url, timeout=httpx.Timeout(PROBE_TIMEOUT_SECONDS))
        self._lock = threading.Lock()
        self._turn = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> RasaClient:
        """The client for the configured replicas, with the shared token."""
        return cls(
            settings.rasa_replica_urls,
            settings.action_server_url,
            settings.rasa_timeout_seconds,
            token=settings.rasa_token.get_secret_value(),
        )

    @property
    def replica_urls(self) -> list[str]:
        """The configured replicas, in order."""
        return [replica.url for replica in self._replicas]

    def answered_by_replica(self) -> dict[str, int]:
        """How many messages each replica has taken (for metrics and tests)."""
        return {replica.url: replica.answered for replica in self._replicas}

    def _candidates(self) -> list[_Replica]:
        """Replicas in the order to try: up before recently down, then least busy, then round-robin."""
        with self._lock:
            self._turn = (self._turn + 1) % len(self._replicas)
            rotated = self._replicas[self._turn :] + self._replicas[: self._turn]
            now = time.monotonic()
            return sorted(rotated, key=lambda r: (r.down_until > now, r.in_flight))

    @contextmanager
    def _busy(self, replica: _Replica) -> Iterator[None]:
        with self._lock:
            replica.in_flight += 1
        try:
            yield
        finally:
            with self._lock:
                replica.in_flight -= 1

    def _post_message(self, sender_id: str, text: str, request_id: str | None) -> httpx.Response:
        """POST to one replica; fail over only when the request cannot have reached Rasa (connection refused)."""
        refused: list[str] = []
        body = {"sender": sender_id, "message": text}
        # A header, read and logged by the channel (bot/channels.py), for the action server's log line too.
        headers = {REQUEST_ID_HEADER: request_id} if request_id else None
        for replica in self._candidates():
            try:
                with self._busy(replica):
                    response = replica.http.post("/webhooks/rest/webhook", json=body, headers=headers)
                replica.answered += 1
                return response
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # A retry after a timeout could play the message twice into the shared tracker; a refused
                # connection never reached Rasa, so the next replica may take it.
                replica.down_until = time.monotonic() + REPLICA_DOWN_SECONDS
                refused.append(f"{replica.url}: {type(exc).__name__}")
        raise httpx.ConnectError("no Rasa replica accepted the connection (" + "; ".join(refused) + ")")

    def send(self, sender_id: str, text: str, *, request_id: str | None = None) -> AssistantTurn:
        """Send one (already moderated) message and return the action server's payloads.

        `sender_id` is always the server-side conversation id: Rasa keys its tracker by it. `request_id` goes
        as the X-Request-ID header.
        """
        started = time.perf_counter()
        try:
            response = self._post_message(sender_id, text, request_id)
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

    def _replica_status(self, replica: _Replica) -> tuple[bool, str]:
        try:
            response = replica.http.get("/status", params=self._api_params, timeout=PROBE_TIMEOUT_SECONDS)
        except httpx.HTTPError as exc:
            return False, f"unreachable ({type(exc).__name__})"
        if response.status_code == 409:
            return False, "no model loaded"
        if response.status_code in (401, 403):
            return False, f"refused our token (HTTP {response.status_code})"
        if response.status_code != 200:
            return False, f"HTTP {response.status_code}"
        try:
            model_id = response.json().get("model_id")
        except (ValueError, AttributeError):
            model_id = None
        if not model_id:
            return False, "no model fingerprint in /status"
        return True, f"model {model_id}"

    def rasa_ready(self) -> tuple[bool, str]:
        """Whether some replica is up with a model loaded (/status with the token); the detail names each."""
        # Replicas by number, not URL: the probe is public and internal addresses are nobody's business.
        results = [(number, *self._replica_status(r)) for number, r in enumerate(self._replicas, start=1)]
        ready = sum(ok for _, ok, _ in results)
        details = "; ".join(f"replica {number}: {detail}" for number, _, detail in results)
        return ready > 0, f"{ready}/{len(results)} replicas ready: {details}"

    def action_server_ready(self) -> tuple[bool, str]:
        """Whether the action server answers its health check."""
        try:
            response = self._actions.get("/health")
            return response.status_code == 200, f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            return False, f"unreachable: {type(exc).__name__}"

    def close(self) -> None:
        """Release pooled connections."""
        for replica in self._replicas:
            replica.http.close()
        self._actions.close()
