"""Celery tasks of the review queue: they take ids and open their own session."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.exc import OperationalError

from api.celery_app import celery_app, task_session, task_settings
from api.review_queue import service

CREATE_REVIEW_ITEM = "review_queue.create_review_item"


@celery_app.task(
    name=CREATE_REVIEW_ITEM,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=10,
)
def create_review_item(exchange_id: str) -> str:
    """Open the review item for a question no approved content answers."""
    with task_session() as session:
        item = service.open_for_exchange(session, exchange_id, task_settings())
        session.commit()
        return item.id


@celery_app.task(name="review_queue.sweep", acks_late=True)
def sweep() -> int:
    """Create the review items whose task was never delivered (broker down at send time)."""
    with task_session() as session:
        missing = service.exchanges_missing_review(session, older_than=dt.timedelta(minutes=1))
        for exchange_id in missing:
            service.open_for_exchange(session, exchange_id, task_settings())
        session.commit()
        return len(missing)
