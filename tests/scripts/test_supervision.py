"""`make run` restarts a component that dies (with back-off, logged); only Ctrl-C stops the whole stack.

The back-off rules are checked on a fake clock; then the worker, Rasa and the action server of the running test
stack are killed (SIGKILL) one after the other, and each comes back by itself with the API answering again. The
`stack` fixture then checks that Ctrl-C still stops everything cleanly.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import httpx
from sqlalchemy import select

from api.db import session_factory
from api.review_queue.models import ReviewItem
from scripts.stack import Backoff, Process, Supervisor
from tests.conftest import Stack, rasa_tracker, wait_for


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeProcess(Process):
    """A process that dies when told and counts its starts."""

    def __init__(self, name: str, clock: FakeClock) -> None:
        super().__init__(name, [], Path(os.devnull), lambda: True)
        self.clock = clock
        self.running = False
        self.starts = 0

    def start(self) -> None:
        self.started_at = self.clock()
        self.running = True
        self.starts += 1

    def alive(self) -> bool:
        return self.running

    def reap(self) -> None:
        pass


def test_restart_delays_double_up_to_a_cap_and_reset_after_a_stable_run() -> None:
    backoff = Backoff(first=1.0, cap=30.0, stable_after=60.0)
    assert [backoff.delay_after(uptime=2.0) for _ in range(7)] == [1, 2, 4, 8, 16, 30, 30]
    assert backoff.delay_after(uptime=61.0) == 1.0
    assert backoff.delay_after(uptime=5.0) == 2.0


def test_the_supervisor_restarts_a_dead_process_after_its_delay_and_logs_it() -> None:
    clock = FakeClock()
    lines: list[str] = []
    worker, api = FakeProcess("worker", clock), FakeProcess("api", clock)
    for process in (worker, api):
        process.start()
    supervisor = Supervisor([worker, api], report=lines.append, clock=clock)

    clock.now += 100
    worker.running = False
    supervisor.poll()
    assert worker.starts == 1 and lines == [
        f"worker exited (code None) after 100s; restarting in 1s (see {os.devnull})"
    ]
    clock.now += 0.5
    supervisor.poll()
    assert worker.starts == 1, "not before the delay"
    clock.now += 0.5
    supervisor.poll()
    assert worker.starts == 2 and supervisor.restarts("worker") == 1
    assert lines[-1].startswith("restarted worker")

    # Dying again at once doubles the delay; the other process is never touched.
    clock.now += 3
    worker.running = False
    supervisor.poll()
    assert "restarting in 2s" in lines[-1]
    clock.now += 2
    supervisor.poll()
    assert worker.starts == 3 and api.starts == 1


def test_a_restart_that_cannot_even_exec_is_tried_again_later() -> None:
    clock = FakeClock()
    lines: list[str] = []
    worker = FakeProcess("worker", clock)
    worker.start()
    supervisor = Supervisor([worker], report=lines.append, clock=clock)
    worker.running = False
    supervisor.poll()
    worker.start = lambda: (_ for _ in ()).throw(OSError("no such file"))  # type: ignore[method-assign]
    clock.now += 1
    supervisor.poll()
    assert lines[-1] == "could not restart worker (no such file); trying again in 2s"
    del worker.start  # back to the class's start
    clock.now += 2
    supervisor.poll()
    assert worker.running and supervisor.restarts("worker") == 1


def _wait_for_restart(stack: Stack, name: str, old_pid: int, timeout: float = 60) -> int:
    assert wait_for(lambda: stack.pid(name) != old_pid, timeout=timeout), f"{name} was not restarted"
    output = stack.output.read_text() if stack.output else ""
    assert f"{name} exited (code -9)" in output
    return stack.pid(name)


def _chat(stack: Stack) -> tuple[str, dict[str, str]]:
    conversation = httpx.post(f"{stack.api_url}/api/v1/conversations", json={}, timeout=10).json()
    return conversation["id"], {"X-Conversation-Secret": conversation["secret"]}


def _say(stack: Stack, conversation: tuple[str, dict[str, str]], text: str) -> dict[str, object]:
    conversation_id, headers = conversation
    response = httpx.post(
        f"{stack.api_url}/api/v1/conversations/{conversation_id}/messages",
        json={"text": text},
        headers=headers,
        timeout=30,
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def _process_group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_killed_worker_comes_back_and_takes_work_again(stack: Stack) -> None:
    old = stack.pid("worker")
    os.kill(old, signal.SIGKILL)
    new = _wait_for_restart(stack, "worker", old)
    assert stack.process.poll() is None, "the stack must keep running"
    # The dead worker's pool and embedded beat go with it: no orphan keeps sending beats.
    assert wait_for(lambda: _process_group_gone(old), timeout=10)
    os.kill(new, 0)

    # Work queued now is done by the new worker: a question no approved item answers opens a review item.
    conversation = _chat(stack)
    body = _say(stack, conversation, "can patients on quelvanti fly with the pen in hand luggage")
    assert body["route"] == "review", body

    def review_item_opened() -> bool:
        with session_factory(stack.database_url)() as session:
            query = select(ReviewItem.id).where(ReviewItem.conversation_id == conversation[0])
            return session.scalars(query).first() is not None

    assert wait_for(review_item_opened, timeout=60), "the restarted worker did not take the job"


def test_a_killed_rasa_comes_back_and_the_conversation_goes_on(stack: Stack) -> None:
    conversation = _chat(stack)
    assert _say(stack, conversation, "what is quelvanti indicated for")["route"] == "answered"

    old = stack.pid("rasa")
    os.kill(old, signal.SIGKILL)
    # While Rasa is down the API still answers, with the approved "unavailable" reply and a human follow-up.
    down = _say(stack, conversation, "how do I store the pens")
    assert down["route"] == "review", down
    _wait_for_restart(stack, "rasa", old)

    def rasa_ready() -> bool:
        try:
            status = httpx.get(f"{stack.rasa_url}/status", params={"token": stack.rasa_token}, timeout=5)
        except httpx.HTTPError:
            return False
        return status.status_code == 200

    assert wait_for(rasa_ready, timeout=180, interval=1), "Rasa did not come back with its model"
    assert _say(stack, conversation, "what is the recommended dose")["route"] == "answered"
    # The tracker lives in Redis: the conversation's history survived the restart.
    texts = [e["text"] for e in rasa_tracker(stack.rasa_url, conversation[0])["events"] if e["event"] == "user"]
    assert texts == ["what is quelvanti indicated for", "what is the recommended dose"]
    assert wait_for(lambda: httpx.get(f"{stack.api_url}/readyz", timeout=10).status_code == 200, timeout=30)


def test_a_killed_action_server_comes_back(stack: Stack) -> None:
    old = stack.pid("actions")
    os.kill(old, signal.SIGKILL)
    _wait_for_restart(stack, "actions", old)

    def healthy() -> bool:
        try:
            return httpx.get(f"{stack.actions_url}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    assert wait_for(healthy, timeout=60, interval=0.5)
    assert _say(stack, _chat(stack), "what is quelvanti indicated for")["route"] == "answered"
    assert httpx.get(f"{stack.api_url}/readyz", timeout=10).status_code == 200
