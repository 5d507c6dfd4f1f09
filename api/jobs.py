"""Background jobs queued during a request and sent only after its transaction commits.

A job carries the request id in its message headers, so the worker's log lines for it name the request.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from celery import Celery, Task, signals

from api.logging_config import LogContext, bind, current_request_id

log = logging.getLogger(__name__)
REQUEST_ID_HEADER = "request_id"


@dataclass
class PendingJobs:
    """Jobs a request wants run once its writes are committed (a rollback drops them)."""

    jobs: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    def enqueue(self, task_name: str, *args: Any) -> None:
        """Queue a task by name, to be sent after the commit."""
        self.jobs.append((task_name, args))

    def send(self, celery: Celery) -> None:
        """Send the queued tasks. A broker failure is logged: the beat sweep re-sends from the database."""
        jobs, self.jobs = self.jobs, []
        for task_name, args in jobs:
            try:
                # The request id goes in the message headers, stamped at publish (install_request_id_headers).
                celery.send_task(task_name, args=args)
            except Exception:  # the record is committed; the sweep will find it
                log.exception("could not send %s%r; the periodic sweep will retry", task_name, args)

    def discard(self) -> None:
        """Forget the queued tasks (the transaction rolled back)."""
        self.jobs.clear()


def _request_id_of(task: Task[Any, Any]) -> str | None:
    value = getattr(task.request, REQUEST_ID_HEADER, None)
    if value is None and isinstance(task.request.headers, dict):
        value = task.request.headers.get(REQUEST_ID_HEADER)
    return value if isinstance(value, str) else None


def _bind_task(task_id: str | None = None, task: Task[Any, Any] | None = None, **_: Any) -> None:
    if task is not None:
        # Kept until the next task starts: Celery's own success or failure line comes after task_postrun.
        bind(LogContext(request_id=_request_id_of(task) or task_id, task=task.name))


def _stamp_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    # Whoever sends it (PendingJobs after a request, a task queueing a retry), a task carries the request id.
    if headers is not None and headers.get(REQUEST_ID_HEADER) is None:
        headers[REQUEST_ID_HEADER] = current_request_id()


def install_request_id_headers() -> None:
    """Stamp the request id on every task sent, and bind a task's to its log lines in the worker (idempotent)."""
    signals.task_prerun.connect(_bind_task, weak=False, dispatch_uid="hcp-task-log-context")
    signals.before_task_publish.connect(_stamp_request_id, weak=False, dispatch_uid="hcp-task-request-id")
