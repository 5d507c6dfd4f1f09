"""A bounded load client for the chat API: N concurrent chats (asyncio + httpx), each a scripted conversation.

Every run stops by itself: at its deadline or after its request budget, whichever comes first. It targets only
the local stack it is given (loopback), as the machine's rules for load tests require.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx
import psutil

from api.conversations.access import SECRET_HEADER

# After a refused or failed request a chat waits this long, so a stack that is down is not hammered in a loop.
PAUSE_AFTER_ERROR_SECONDS = 0.2
NEW_CONVERSATION = "(new conversation)"


def percentile(samples: Sequence[float], pct: float) -> float:
    """The pct-th percentile (nearest rank); 0 for no samples."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))]


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its living children; 0 if it is gone."""
    try:
        root = psutil.Process(pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0.0
    for process in tree:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def listening_pid(port: int) -> int | None:
    """The process listening on a local TCP port (None if unknown or not allowed to look)."""
    try:
        connections = psutil.net_connections("tcp")
    except psutil.Error:
        return None
    for connection in connections:
        if connection.status == psutil.CONN_LISTEN and connection.laddr and connection.laddr.port == port:
            pid: int | None = connection.pid
            return pid
    return None


class CpuMeter:
    """CPU seconds used by named processes (with their children) and by this process, between two readings.

    CPU time, unlike wall-clock time, hardly moves when other work shares the machine's cores.
    """

    LOAD_CLIENT = "load client"

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self._started = self._read()

    def _read(self) -> dict[str, float]:
        readings = {name: tree_cpu_seconds(pid) for name, pid in self.pids.items()}
        own = psutil.Process().cpu_times()
        readings[self.LOAD_CLIENT] = own.user + own.system
        return readings

    def used(self) -> dict[str, float]:
        """Seconds each process used since the meter was made."""
        now = self._read()
        return {name: now[name] - self._started[name] for name in now}


@dataclass(frozen=True)
class Sent:
    """One request of a load run and what came back."""

    conversation_id: str | None
    text: str
    status: int | None  # None: no HTTP answer at all (refused, reset, timed out)
    route: str | None
    ms: float
    at: float  # seconds since the run started

    @property
    def acknowledged(self) -> bool:
        """A message the API took: 2xx with a route."""
        return self.text != NEW_CONVERSATION and self.status is not None and self.status < 300 and bool(self.route)


@dataclass
class LoadRun:
    """What one load run sent and got back."""

    chats: int
    seconds: float = 0.0
    conversations: int = 0
    sent: list[Sent] = field(default_factory=list)

    @property
    def messages(self) -> list[Sent]:
        """The chat messages sent (conversation starts left out)."""
        return [s for s in self.sent if s.text != NEW_CONVERSATION]

    @property
    def acknowledged(self) -> list[Sent]:
        """The messages the API took."""
        return [s for s in self.sent if s.acknowledged]

    @property
    def errors(self) -> int:
        """Requests of any kind without a 2xx answer."""
        return sum(1 for s in self.sent if s.status is None or s.status >= 300)

    @property
    def throughput(self) -> float:
        """Answered messages per second."""
        return len(self.acknowledged) / self.seconds if self.seconds else 0.0

    def latency_ms(self, pct: float) -> float:
        """A percentile of the answered messages' latency."""
        return percentile([s.ms for s in self.acknowledged], pct)

    def summary(self) -> str:
        """One line: throughput, latency, errors."""
        return (
            f"{self.chats:>3} chats {self.seconds:>5.1f}s: {len(self.acknowledged):>5} answered "
            f"({self.throughput:5.1f}/s), p50 {self.latency_ms(50):6.0f} ms, p95 {self.latency_ms(95):6.0f} ms, "
            f"{self.errors} errors"
        )


@dataclass
class _Budget:
    left: int

    def take(self) -> bool:
        if self.left <= 0:
            return False
        self.left -= 1
        return True


async def _post(
    client: httpx.AsyncClient, url: str, body: object, headers: dict[str, str]
) -> httpx.Response | None:
    try:
        return await client.post(url, json=body, headers=headers)
    except httpx.HTTPError:
        return None


async def _chat(
    client: httpx.AsyncClient,
    number: int,
    script: Callable[[int], Sequence[str]],
    run: LoadRun,
    deadline: float,
    budget: _Budget,
    started: float,
) -> None:
    """One simulated HCP: a conversation from its script, then a new one, until the deadline or the budget."""
    while time.monotonic() < deadline and budget.take():
        begun = time.monotonic()
        created = await _post(client, "/api/v1/conversations", {}, {})
        if created is None or created.status_code != 201:
            status = None if created is None else created.status_code
            run.sent.append(
                Sent(None, NEW_CONVERSATION, status, None, (time.monotonic() - begun) * 1000, begun - started)
            )
            await asyncio.sleep(PAUSE_AFTER_ERROR_SECONDS)
            continue
        run.conversations += 1
        body = created.json()
        url, headers = f"/api/v1/conversations/{body['id']}/messages", {SECRET_HEADER: body["secret"]}
        for text in script(number):
            if time.monotonic() >= deadline or not budget.take():
                return
            begun = time.monotonic()
            response = await _post(client, url, {"text": text}, headers)
            ms = (time.monotonic() - begun) * 1000
            if response is None:
                run.sent.append(Sent(body["id"], text, None, None, ms, begun - started))
            else:
                route = response.json().get("route") if response.status_code < 300 else None
                run.sent.append(Sent(body["id"], text, response.status_code, route, ms, begun - started))
            if response is None or response.status_code >= 300:
                await asyncio.sleep(PAUSE_AFTER_ERROR_SECONDS)
        number += run.chats  # the next conversation of this HCP takes the next unused script


async def load(
    api_url: str,
    chats: int,
    script: Callable[[int], Sequence[str]],
    *,
    seconds: float,
    max_requests: int,
    timeout: float = 30.0,
) -> LoadRun:
    """Run `chats` concurrent chats against the API for at most `seconds` and `max_requests` requests."""
    run = LoadRun(chats=chats)
    limits = httpx.Limits(max_connections=chats, max_keepalive_connections=chats)
    async with httpx.AsyncClient(base_url=api_url, timeout=timeout, limits=limits) as client:
        started = time.monotonic()
        deadline, budget = started + seconds, _Budget(max_requests)
        await asyncio.gather(*(_chat(client, n, script, run, deadline, budget, started) for n in range(chats)))
        run.seconds = time.monotonic() - started
    return run


def run_load(
    api_url: str,
    chats: int,
    script: Callable[[int], Sequence[str]],
    *,
    seconds: float,
    max_requests: int,
    timeout: float = 30.0,
) -> LoadRun:
    """`load` from synchronous code."""
    return asyncio.run(load(api_url, chats, script, seconds=seconds, max_requests=max_requests, timeout=timeout))
