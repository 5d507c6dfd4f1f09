"""Celery tasks of the review queue: they take ids and open their own session."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from email.message import EmailMessage
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from api.audit.service import Actor
from api.auth.roles import Role
from api.celery_app import celery_app, task_session, task_settings
from api.content.service import ApprovedContent
from api.db import utcnow
from api.notifications.escalation import Escalation, email_leads, escalate_and_notify
from api.notifications.mailer import TRANSIENT_ERRORS, mailer_for
from api.notifications.staff_emails import BreachedItem, escalation_email
from api.review_queue import delivery, service
from api.review_queue.delivery import EMAIL_ANSWER
from api.review_queue.models import ReviewItem
from api.settings import Settings
from content_library import DEFAULT_DIRECTORY, ContentLibrary

log = logging.getLogger(__name__)

CREATE_REVIEW_ITEM = "review_queue.create_review_item"
ESCALATE_BREACHED = "review_queue.escalate_breached"
EMAIL_ESCALATION = "review_queue.email_escalation"
SWEEP_UNDELIVERED = "review_queue.sweep_undelivered_answers"
SLA_ACTOR = Actor(None, "system:sla")


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


def _escalation_message(
    session: Session, settings: Settings, leads: Sequence[str], item_ids: list[str]
) -> EmailMessage | None:
    items = session.scalars(select(ReviewItem).where(ReviewItem.id.in_(item_ids)).order_by(ReviewItem.due_at))
    breached = [BreachedItem(i.id, i.kind.value, i.status.value, i.topic_guess, i.due_at) for i in items]
    return escalation_email(settings, leads, breached) if breached else None


# Breached items are flagged by the SLA actor and listed to the medical-reviewer leads (no question text).
REVIEW_ESCALATION: Escalation[ReviewItem] = Escalation(
    Role.MEDICAL_REVIEWER,
    SLA_ACTOR,
    service.breached,
    service.escalate,
    lambda record: record.escalated_at is not None,
    _escalation_message,
)


@celery_app.task(
    name=ESCALATE_BREACHED,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def escalate_breached() -> int:
    """Flag the items past their SLA due time and commit, then e-mail the medical-reviewer leads once."""
    return escalate_and_notify(REVIEW_ESCALATION, email_escalation)


@celery_app.task(
    name=EMAIL_ESCALATION,
    acks_late=True,
    autoretry_for=(OperationalError, *TRANSIENT_ERRORS),
    retry_backoff=True,
    max_retries=8,
)
def email_escalation(item_ids: list[str]) -> bool:
    """Retry telling the leads about escalated items after the first e-mail failed."""
    return email_leads(REVIEW_ESCALATION, item_ids)


@celery_app.task(
    name=EMAIL_ANSWER,
    acks_late=True,
    autoretry_for=(OperationalError, *TRANSIENT_ERRORS),
    retry_backoff=True,
    max_retries=8,
)
def email_answer(item_id: str) -> str:
    """E-mail an approved answer to an HCP whose chat is closed (a redelivery finds it delivered and stops)."""
    settings = task_settings()
    with task_session() as session:
        outcome = delivery.email_answer(session, item_id, settings, mailer_for(settings), _content(settings))
        session.commit()
    log.info("review item %s: e-mail delivery %s", item_id, outcome.value)
    return outcome.value


@celery_app.task(name=SWEEP_UNDELIVERED, acks_late=True)
def sweep_undelivered_answers() -> int:
    """Send the e-mail of approved answers that neither the chat nor an e-mail task delivered."""
    settings = task_settings()
    if not settings.smtp_host:
        return 0  # nothing could be sent; the chat still shows them when the HCP comes back
    with task_session() as session:
        item_ids = delivery.awaiting_email(session, settings, utcnow())
    for item_id in item_ids:
        email_answer.delay(item_id)
    return len(item_ids)


def _content(settings: Settings) -> ApprovedContent:
    return _content_for(settings.content_dir or DEFAULT_DIRECTORY)


@lru_cache(maxsize=4)
def _content_for(directory: Path) -> ApprovedContent:
    # Built once per worker process; the library re-reads its files when they change.
    return ApprovedContent(ContentLibrary(directory))
