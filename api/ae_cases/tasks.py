"""Celery tasks of drug safety: escalate cases past their due time (e-mail to PV leads), deliver exports."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from api.ae_cases import service, submission
from api.ae_cases.emails import BreachedCase, escalation_email
from api.ae_cases.models import AeCase
from api.audit.service import Actor
from api.auth.roles import Role
from api.celery_app import celery_app, task_session, task_settings
from api.notifications.escalation import Escalation, email_leads, escalate_and_notify
from api.notifications.mailer import TRANSIENT_ERRORS
from api.settings import Settings

log = logging.getLogger(__name__)

ESCALATE_BREACHED = "ae_cases.escalate_breached"
EMAIL_ESCALATION = "ae_cases.email_escalation"
DELIVER_EXPORTS = "ae_cases.deliver_exports"
DUE_ACTOR = Actor(None, "system:pv-due")


def _escalation_message(
    session: Session, settings: Settings, leads: Sequence[str], case_ids: list[str]
) -> EmailMessage | None:
    cases = [
        BreachedCase(c.id, c.case_number, c.status.value, c.serious, c.awareness_at, c.due_at)
        for c in session.scalars(select(AeCase).where(AeCase.id.in_(case_ids)).order_by(AeCase.due_at))
    ]
    return escalation_email(settings, leads, cases) if cases else None


# Cases past their due time are flagged by the PV clock and listed to the PV leads (no case text).
PV_ESCALATION: Escalation[AeCase] = Escalation(
    Role.PV_SPECIALIST,
    DUE_ACTOR,
    service.breached,
    service.escalate,
    lambda record: record.escalated_at is not None,
    _escalation_message,
)


@celery_app.task(
    name=ESCALATE_BREACHED, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5
)
def escalate_breached() -> int:
    """Flag the active cases past their due time and commit, then e-mail the PV leads once."""
    return escalate_and_notify(PV_ESCALATION, email_escalation)


@celery_app.task(
    name=EMAIL_ESCALATION,
    acks_late=True,
    autoretry_for=(OperationalError, *TRANSIENT_ERRORS),
    retry_backoff=True,
    max_retries=8,
)
def email_escalation(case_ids: list[str]) -> bool:
    """Retry telling the PV leads about escalated cases after the first e-mail failed."""
    return email_leads(PV_ESCALATION, case_ids)


@celery_app.task(name=DELIVER_EXPORTS, acks_late=True)
def deliver_exports() -> int:
    """Drop the E2B exports that were recorded but never reached the outbound directory (idempotent)."""
    settings = task_settings()
    delivered = 0
    with task_session() as session:
        for export in submission.undelivered(session):
            try:
                submission.deliver(session, export, settings)
            except OSError:
                log.exception("E2B export %s could not be written; retried on the next run", export.filename)
                continue
            session.commit()
            delivered += 1
    return delivered
