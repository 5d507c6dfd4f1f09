"""The bar's reconciliation run: 200 scripted chats mixing AE reports (with follow-up answers), special
situations, questions and off-label requests, while the worker is killed and Redis is stopped, against a
supervised API + worker + Redis (scripts.stack's processes and Supervisor, as `make run` uses them; Rasa is the
test stack's). Afterwards the reconciliation report shows zero unaccounted flagged exchanges.

The AE case is written in the same transaction as its message, so neither fault can separate them."""

from __future__ import annotations

import os
import secrets
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from api.ae_cases import reconcile
from api.db import session_factory, utcnow
from scripts.stack import (
    Ports,
    Process,
    Supervisor,
    api_server,
    celery_worker,
    embedded_redis,
    stop_all,
    wait_ready,
)
from tests.api.notifications.smtp_sink import free_port
from tests.conftest import ROOMY_LIMITS, STACK_RASA_TOKEN, Stack, migrate, wait_for

CHATS = 200
BATCH = 20
WORKER_KILLED_AT, REDIS_STOPPED_AT, REDIS_RESTARTED_AT = 60, 120, 140  # chat numbers (batch starts)
RUN_DEADLINE_SECONDS = 420
AE_REPORTS = [
    ["Someone developed a rash after a Quelvanti injection", "She is 54 years old, female", "yes", "by phone"],
    ["My patient was hospitalised with pneumonia after starting Quelvanti", "no"],
    ["My patient developed a rash", "Quelvanti", "prefer not to say"],
    ["One of my patients got hives after the injection last week, she was on quelvanti"],
]
SPECIAL_SITUATIONS = [
    ["I took over a pregnant woman on Quelvanti", "no thanks"],
    ["my patient took a double dose of quelvanti by mistake"],
    ["Quelvanti did not work for my patient", "yes", "call me on 555-123-4567"],
]
QUESTIONS = [
    ["how should quelvanti be stored"],
    ["what is the dose of quelvanti", "thanks"],
    ["can patients on quelvanti get live vaccines"],
    ["what are the common side effects of quelvanti"],
]
OFF_LABEL = [["Can Quelvanti be used for psoriatic arthritis?"]]


def script(number: int) -> list[str]:
    """Chat `number`'s messages: 4 in 10 report an AE or special situation, the rest ask or go off-label."""
    kind = number % 10
    if kind in (0, 1, 2):
        return AE_REPORTS[number % len(AE_REPORTS)]
    if kind == 3:
        return SPECIAL_SITUATIONS[number % len(SPECIAL_SITUATIONS)]
    if kind == 8:
        return OFF_LABEL[0]
    if kind == 9:  # a question first, then a report in the same chat
        return [*QUESTIONS[number % len(QUESTIONS)], *AE_REPORTS[number % len(AE_REPORTS)]]
    return QUESTIONS[number % len(QUESTIONS)]


@dataclass
class Supervised:
    """API, worker and embedded Redis under a Supervisor polled by a thread (which a test may pause)."""

    api_url: str
    database_url: str
    processes: dict[str, Process]
    lines: list[str] = field(default_factory=list)
    paused: threading.Event = field(default_factory=threading.Event)

    def kill(self, name: str) -> int:
        """SIGKILL a component (its whole process group); the pid killed."""
        pid = self.processes[name].pid
        assert pid is not None
        os.killpg(pid, signal.SIGKILL)
        return pid

    def restarted(self, name: str) -> bool:
        """Whether the supervisor has started the component again."""
        return any(line.startswith(f"restarted {name} ") for line in self.lines)


@pytest.fixture
def supervised(stack: Stack, tmp_path: Path) -> Iterator[Supervised]:
    database_url = f"sqlite:///{tmp_path / 'faults.db'}"
    migrate(database_url)
    log_dir = tmp_path / "log"  # its own logs, Redis data and beat schedule: nothing shared with other stacks
    ports = Ports(api=free_port(), redis=free_port())
    redis_url = f"redis://127.0.0.1:{ports.redis}/0"
    env = {
        "DATABASE_URL": database_url,
        "ENVIRONMENT": "test",
        "CELERY_QUEUE": f"hcp-faults-{secrets.token_hex(4)}",
        "REDIS_URL": redis_url,
        "RASA_URL": stack.rasa_url,
        "RASA_URLS": stack.rasa_url,
        "RASA_TOKEN": STACK_RASA_TOKEN,
        "ACTION_SERVER_URL": stack.actions_url,
        "E2B_OUTBOUND_DIR": str(tmp_path / "e2b"),
        **{name.upper(): value for name, value in ROOMY_LIMITS.items()},
    }
    processes = [
        embedded_redis(ports.redis, log_dir),
        celery_worker(log_dir, env),
        api_server(ports, log_dir, env),
    ]
    for process in processes:
        process.start()
    state = Supervised(f"http://127.0.0.1:{ports.api}", database_url, {p.name: p for p in processes})
    stop = threading.Event()
    try:
        wait_ready(processes, timeout=180, report=lambda _: None)
        supervisor = Supervisor(processes, report=state.lines.append)

        def supervise() -> None:
            while not stop.wait(0.3):
                if not state.paused.is_set():
                    supervisor.poll()

        thread = threading.Thread(target=supervise, daemon=True)
        thread.start()
        yield state
        stop.set()
        thread.join(5)
    finally:
        stop.set()
        stop_all(processes)


def chat(api_url: str, messages: list[str]) -> list[tuple[str, int, str | None]]:
    """One chat through the public endpoints: (message, status, route) for each message."""
    results: list[tuple[str, int, str | None]] = []
    with httpx.Client(base_url=api_url, timeout=30) as client:
        created = client.post("/api/v1/conversations", json={})
        if created.status_code != 201:
            return [(messages[0], created.status_code, None)]
        body = created.json()
        headers = {"X-Conversation-Secret": body["secret"]}
        for text in messages:
            response = client.post(
                f"/api/v1/conversations/{body['id']}/messages", json={"text": text}, headers=headers
            )
            route = response.json().get("route") if response.status_code == 200 else None
            results.append((text, response.status_code, route))
    return results


def test_200_chats_with_the_worker_killed_and_redis_stopped_reconcile(supervised: Supervised) -> None:
    started_day, deadline = utcnow().date(), time.monotonic() + RUN_DEADLINE_SECONDS
    outcomes: list[list[tuple[str, int, str | None]]] = []
    with ThreadPoolExecutor(max_workers=3) as pool:
        for batch_start in range(0, CHATS, BATCH):
            if batch_start == WORKER_KILLED_AT:
                supervised.kill("worker")
            if batch_start == REDIS_STOPPED_AT:
                supervised.paused.set()  # Redis stays down for a batch of chats, then the supervisor restarts it
                supervised.kill("redis")
            if batch_start == REDIS_RESTARTED_AT:
                supervised.paused.clear()
            numbers = range(batch_start, min(batch_start + BATCH, CHATS))
            outcomes += pool.map(lambda n: chat(supervised.api_url, script(n)), numbers)
            assert time.monotonic() < deadline, "the scripted run took too long"
    supervised.paused.clear()
    assert wait_for(lambda: supervised.restarted("worker") and supervised.restarted("redis"), timeout=60)

    sent = [result for chat_results in outcomes for result in chat_results]
    reports = [r for r in sent if any(r[0] == script_[0] for script_ in AE_REPORTS + SPECIAL_SITUATIONS)]
    # The AE path needs neither the worker nor Redis: every report was taken and triaged.
    assert reports and all(status == 200 and route == "ae_triage" for _, status, route in reports), reports
    with session_factory(supervised.database_url)() as session:
        report = reconcile.run(session, started_day, utcnow())
    assert report.flagged_exchanges >= len(reports)
    assert report.unaccounted_exchanges == 0 and report.problems == [], report.problems
    assert report.cases == report.with_own_case + report.merged_into_another
    print(
        f"\n{len(outcomes)} chats, {len(sent)} messages ({sum(1 for r in sent if r[1] != 200)} refused); "
        f"flagged {report.flagged_exchanges}, cases {report.cases}, follow-up answers "
        f"{report.attached_as_follow_up}; unaccounted {report.unaccounted_exchanges}"
    )
