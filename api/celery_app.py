"""The Celery application; tasks live in each domain package's tasks.py."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from celery import Celery
from sqlalchemy.orm import Session

from api.db import session_factory
from api.settings import Settings

celery_app = Celery(
    "hcp_engagement", include=["api.review_queue.tasks", "api.ae_cases.tasks", "api.content.tasks"]
)
_settings: list[Settings] = []


def configure_celery(settings: Settings) -> Celery:
    """Point the Celery app at this deployment's broker and database."""
    _settings[:] = [settings]
    celery_app.conf.update(
        broker_url=settings.redis_url,
        task_ignore_result=True,
        # Safety-relevant tasks are idempotent, so redelivery after a crash is harmless.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": 3600},
        task_default_queue=settings.celery_queue,
        # A release trains for minutes: its own queue and worker, so AE and review tasks never wait behind it.
        task_routes={"content.publish_release": {"queue": settings.content_queue}},
        hcp_database_url=settings.sqlalchemy_url,
        beat_schedule={
            "sweep-review-queue": {"task": "review_queue.sweep", "schedule": 60.0},
            "escalate-breached-review-items": {"task": "review_queue.escalate_breached", "schedule": 60.0},
            "sweep-undelivered-answers": {"task": "review_queue.sweep_undelivered_answers", "schedule": 60.0},
            "escalate-breached-ae-cases": {"task": "ae_cases.escalate_breached", "schedule": 60.0},
            "deliver-e2b-exports": {"task": "ae_cases.deliver_exports", "schedule": 60.0},
        },
    )
    return celery_app


@contextmanager
def task_session() -> Iterator[Session]:
    """A session for one task: the task owns its transaction."""
    session = session_factory(celery_app.conf.hcp_database_url)()
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def task_settings() -> Settings:
    """The settings the Celery app was configured with (the worker's deployment)."""
    if not _settings:
        raise RuntimeError("configure_celery() has not been called in this process")
    return _settings[0]
