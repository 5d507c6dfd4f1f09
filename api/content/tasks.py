"""Celery task of the content package: publish a release (train, gate, hot swap) in the background."""

from __future__ import annotations

from api.celery_app import celery_app, task_settings
from api.content import publishing
from api.db import session_factory


@celery_app.task(name="content.publish_release", acks_late=True)
def publish_release(release_id: str) -> str:
    """Train, gate and activate one queued release; a release in any other state is left alone."""
    settings = task_settings()
    return publishing.publish(session_factory(settings.sqlalchemy_url), settings, release_id).value
