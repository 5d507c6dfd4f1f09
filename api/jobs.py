"""Background jobs queued during a request and sent only after its transaction commits."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from celery import Celery

log = logging.getLogger(__name__)


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
                celery.send_task(task_name, args=args)
            except Exception:  # the record is committed; the sweep will find it
                log.exception("could not send %s%r; the periodic sweep will retry", task_name, args)

    def discard(self) -> None:
        """Forget the queued tasks (the transaction rolled back)."""
        self.jobs.clear()
