"""The bar's fault run under load: 50 concurrent chats against a supervised stack with two Rasa replicas and its
own embedded Redis, while the Celery worker, Redis and one Rasa replica are killed in turn (SIGKILL of the process
group; the Supervisor, as `make run` uses it, starts each again).

Counted: messages sent, acknowledged (2xx with a route) and stored (exchanges in the stack's database). Asserted:
no acknowledged message is lost, the stack recovers by itself, every exchange routed to review gets its review
item (the beat's sweep re-sends what a dead broker lost), and AE reconciliation is clean.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from api.ae_cases import reconcile
from api.conversations.models import Exchange, Route
from api.db import session_factory, utcnow
from api.review_queue.models import ReviewItem
from scripts.load import LoadRun, run_load
from scripts.stack import (
    ROOMY_LIMITS_ENV,
    BotAccess,
    Ports,
    Process,
    Supervisor,
    api_env,
    api_server,
    bot_processes,
    celery_worker,
    embedded_redis,
    stop_all,
    wait_ready,
)
from tests.conftest import healthy, migrate, wait_for

CHATS = 50
LOAD_SECONDS = 30.0
MAX_REQUESTS = 3000  # a bound on the run's size; the time bound normally stops it first
# Seconds into the load at which each component's process group is killed.
FAULTS = (("worker", 4.0), ("redis", 11.0), ("rasa-2", 18.0))
# The beat sweeps every 60 s for review items older than a minute: two sweeps after the last fault, and margin.
REVIEW_ITEMS_WAIT_SECONDS = 150.0
RECOVERY_WAIT_SECONDS = 180.0
SCRIPTS = [
    ["what is quelvanti indicated for", "what is the recommended dose", "thanks"],
    ["can patients on quelvanti fly with the pen in hand luggage", "how do I store the pens"],
    ["My patient developed a rash after a Quelvanti injection", "no"],
    ["how should quelvanti be stored", "can patients on quelvanti get live vaccines"],
    ["my patient took a double dose of quelvanti by mistake"],
    ["Can Quelvanti be used for psoriatic arthritis?", "what are the common side effects of quelvanti"],
]


def script(number: int) -> list[str]:
    """Chat `number`'s messages: questions, a novel question for review, AE reports and off-label requests."""
    return SCRIPTS[number % len(SCRIPTS)]


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _port_block() -> Ports:
    """Five bindable ports (API, Rasa, actions, Redis, second Rasa), below the ephemeral range and the `stack`
    fixture's block."""
    for attempt in range(100):
        base = 12000 + ((os.getpid() + attempt) % 500) * 10
        if all(_bindable(base + i) for i in range(5)):
            return Ports(api=base, rasa=base + 1, actions=base + 2, redis=base + 3)
    raise AssertionError("no free block of ports")


@dataclass
class FaultStack:
    """A stack under a Supervisor polled by a thread: what scripts.run starts, in a scratch directory."""

    ports: Ports
    database_url: str
    access: BotAccess
    processes: dict[str, Process]
    lines: list[str] = field(default_factory=list)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.api}"

    def kill(self, name: str) -> None:
        """SIGKILL a component's whole process group."""
        pid = self.processes[name].pid
        assert pid is not None
        os.killpg(pid, signal.SIGKILL)

    def restarted(self, name: str) -> bool:
        return any(line.startswith(f"restarted {name} ") for line in self.lines)

    def replica_ready(self, port: int) -> bool:
        try:
            url = f"http://127.0.0.1:{port}/status"
            return httpx.get(url, params={"token": self.access.rasa_token}, timeout=5).status_code == 200
        except httpx.HTTPError:
            return False


@pytest.fixture(scope="module")
def fault_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultStack]:
    """Embedded Redis, actions, two Rasa replicas, worker with beat and API, on a scratch SQLite database."""
    workdir = Path(tmp_path_factory.mktemp("load-faults"))
    log_dir = workdir / "log"  # its own logs, Redis data and beat schedule: nothing shared with other stacks
    ports = _port_block()
    database_url = f"sqlite:///{workdir / 'faults.db'}"
    migrate(database_url)
    redis_url = f"redis://127.0.0.1:{ports.redis}/0"
    access = BotAccess.from_environ({})
    env = {
        **api_env(ports, redis_url, access, rasa_replicas=2),
        **ROOMY_LIMITS_ENV,
        "DATABASE_URL": database_url,
        "ENVIRONMENT": "test",
        "CELERY_QUEUE": f"hcp-load-faults-{secrets.token_hex(4)}",
        "E2B_OUTBOUND_DIR": str(workdir / "e2b"),
    }
    processes = [
        embedded_redis(ports.redis, log_dir),
        *bot_processes(ports, log_dir, redis_url, access, rasa_replicas=2),
        celery_worker(log_dir, env),
        api_server(ports, log_dir, env),
    ]
    state = FaultStack(ports, database_url, access, {p.name: p for p in processes})
    stop = threading.Event()
    try:
        for process in processes:
            process.start()
        wait_ready(processes, timeout=300, report=lambda _: None)
        supervisor = Supervisor(processes, report=state.lines.append)

        def supervise() -> None:
            while not stop.wait(0.3):
                supervisor.poll()

        thread = threading.Thread(target=supervise, daemon=True)
        thread.start()
        yield state
        stop.set()
        thread.join(5)
    finally:
        stop.set()
        stop_all(processes)


def _inject_faults(stack: FaultStack, started: float) -> None:
    for name, at in FAULTS:
        time.sleep(max(0.0, started + at - time.monotonic()))
        stack.kill(name)


def _stored(database_url: str, conversation_ids: set[str]) -> list[tuple[str, str, str | None]]:
    with session_factory(database_url)() as session:
        rows = session.execute(
            select(Exchange.conversation_id, Exchange.inbound_text, Exchange.route).where(
                Exchange.conversation_id.in_(conversation_ids)
            )
        ).all()
    return [(cid, text, route.value if route is not None else None) for cid, text, route in rows]


def _review_counts(database_url: str) -> tuple[int, int]:
    """Exchanges routed to review, and how many of them have no review item yet."""
    with session_factory(database_url)() as session:
        query = (
            select(Exchange.id, ReviewItem.id)
            .outerjoin(ReviewItem, ReviewItem.exchange_id == Exchange.id)
            .where(Exchange.route == Route.REVIEW)
        )
        rows = session.execute(query).all()
    return len(rows), sum(1 for _, item in rows if item is None)


def test_50_chats_with_worker_redis_and_a_replica_killed_lose_nothing(fault_stack: FaultStack) -> None:
    started_day = utcnow().date()
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = time.monotonic()
        running = pool.submit(
            run_load, fault_stack.api_url, CHATS, script, seconds=LOAD_SECONDS, max_requests=MAX_REQUESTS
        )
        _inject_faults(fault_stack, started)
        run: LoadRun = running.result(timeout=LOAD_SECONDS + 60)

    sent, acknowledged = run.messages, run.acknowledged
    conversation_ids = {s.conversation_id for s in sent if s.conversation_id is not None}
    stored = _stored(fault_stack.database_url, conversation_ids)
    print(
        f"\n{run.chats} chats, {run.conversations} conversations in {run.seconds:.0f}s: "
        f"{len(sent)} messages sent, "
        f"{len(acknowledged)} acknowledged, {len(stored)} stored; {run.errors} requests failed"
    )
    assert len(acknowledged) >= 200, run.summary()  # a real load, not a stack that was down throughout
    # Every acknowledged message is stored, in its conversation, with the route the client was told.
    lost = Counter((s.conversation_id, s.text, s.route) for s in acknowledged) - Counter(stored)
    assert not lost, f"{sum(lost.values())} acknowledged messages not stored: {list(lost)[:5]}"

    # The stack recovers by itself: every killed component restarted, health green, a new message answered.
    for name, _ in FAULTS:
        assert wait_for(lambda name=name: fault_stack.restarted(name), timeout=60), f"{name} was not restarted"
    second_replica = fault_stack.ports.rasa_ports(2)[1]
    assert wait_for(lambda: fault_stack.replica_ready(second_replica), timeout=RECOVERY_WAIT_SECONDS, interval=2)
    assert wait_for(lambda: healthy(fault_stack.api_url), timeout=60, interval=1), "health is not green again"
    after = run_load(
        fault_stack.api_url, 1, lambda _: ["what is quelvanti indicated for"], seconds=30, max_requests=2
    )
    assert [s.route for s in after.messages] == ["answered"], after.sent

    # Every exchange routed to review gets its review item, if need be from the beat's sweep.
    routed_to_review, missing = _review_counts(fault_stack.database_url)
    assert routed_to_review > 0
    assert wait_for(lambda: _review_counts(fault_stack.database_url)[1] == 0, REVIEW_ITEMS_WAIT_SECONDS, 2), (
        f"{_review_counts(fault_stack.database_url)[1]} review exchanges still have no review item"
    )
    with session_factory(fault_stack.database_url)() as session:
        report = reconcile.run(session, started_day, utcnow())
    assert report.flagged_exchanges > 0
    assert report.unaccounted_exchanges == 0 and report.problems == [], report.problems
    print(
        f"routed to review {routed_to_review} ({missing} still without an item once the stack had recovered), "
        f"flagged {report.flagged_exchanges}, cases {report.cases}; "
        f"restarts: {[line for line in fault_stack.lines if line.startswith('restarted')]}"
    )
