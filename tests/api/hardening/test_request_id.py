"""One request id from the API through Rasa to the worker (issue 7, operable)."""

from __future__ import annotations

from typing import Any

from celery import signals
from fastapi.testclient import TestClient

from api.assistant.rasa_client import AssistantTurn, AssistantUnavailable
from api.celery_app import celery_app
from api.jobs import PendingJobs
from api.logging_config import LogContext, bind, current_request_id, unbind
from tests.api.conftest import start_conversation
from tests.conftest import wait_for


def test_a_plain_request_id_is_kept_and_a_missing_or_odd_one_replaced(staff_client: TestClient) -> None:
    kept = staff_client.get("/isi", headers={"X-Request-ID": "lb-7f3a9c21.0001"})
    made = staff_client.get("/isi")
    odd = staff_client.get("/isi", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert kept.headers["X-Request-ID"] == "lb-7f3a9c21.0001"
    assert len(made.headers["X-Request-ID"]) == 32
    assert odd.headers["X-Request-ID"] != "<script>alert(1)</script>" and len(odd.headers["X-Request-ID"]) == 32


class RecordingAssistant:
    """Stands in for Rasa: records what the API sent, then answers as if Rasa were down."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str | None]] = []

    def send(self, sender_id: str, text: str, *, request_id: str | None = None) -> AssistantTurn:
        self.sent.append((sender_id, text, request_id))
        raise AssistantUnavailable("recorded")

    def close(self) -> None:
        """Nothing to release."""


def test_rasa_gets_the_request_id(staff_client: TestClient) -> None:
    assistant = RecordingAssistant()
    staff_client.app.state.runtime.assistant = assistant  # type: ignore[attr-defined]
    conversation_id = start_conversation(staff_client)
    staff_client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"text": "how should the pen be stored"},
        headers={"X-Request-ID": "req-to-rasa-0001"},
    )
    assert [(sender, request_id) for sender, _, request_id in assistant.sent] == [
        (conversation_id, "req-to-rasa-0001")
    ]


def test_the_worker_binds_the_request_id_of_each_task(celery_worker: None) -> None:
    """A real worker: the task's log context (what its log lines carry) is the sending request's id."""
    from api.jobs import install_request_id_headers

    install_request_id_headers()
    seen: list[str | None] = []

    def record(**_: Any) -> None:
        seen.append(current_request_id())

    signals.task_postrun.connect(record, weak=False)
    try:
        jobs = PendingJobs()
        jobs.enqueue("review_queue.sweep")
        token = bind(LogContext(request_id="req-to-worker-0002"))
        try:
            jobs.send(celery_app)
        finally:
            unbind(token)
        assert wait_for(lambda: "req-to-worker-0002" in seen, timeout=20), seen
    finally:
        signals.task_postrun.disconnect(record)


def test_a_task_sent_by_a_task_keeps_the_request_id(celery_worker: None) -> None:
    """Any publish (a retry queued by a task, not only PendingJobs) is stamped with the current request id."""
    from api.jobs import install_request_id_headers

    install_request_id_headers()
    seen: list[str | None] = []

    def record(**_: Any) -> None:
        seen.append(current_request_id())

    signals.task_postrun.connect(record, weak=False)
    try:
        token = bind(LogContext(request_id="req-from-a-task-0003"))
        try:
            celery_app.send_task("review_queue.sweep")
        finally:
            unbind(token)
        assert wait_for(lambda: "req-from-a-task-0003" in seen, timeout=20), seen
    finally:
        signals.task_postrun.disconnect(record)
