"""Celery tasks of drug safety: escalate cases past their due time (e-mail to PV leads), deliver exports."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from api.ae_cases import service, submission
from api.ae_cases.emails import BreachedCase, escalation_email
from api.ae_cases.models import AeCase
from api.audit.service import Actor
from api.auth.roles import Role
from api.auth.service import users_with_role
from api.celery_app import celery_app, task_session, task_settings
from api.db import utcnow
from api.notifications.mailer import TRANSIENT_ERRORS, mailer_for

log = logging.getLogger(__name__)

ESCALATE_BREACHED = "ae_cases.escalate_breached"
EMAIL_ESCALATION = "ae_cases.email_escalation"
DELIVER_EXPORTS = "ae_cases.deliver_exports"
DUE_ACTOR = Actor(None, "system:pv-due")
ESCALATION_RETRY_SECONDS = 60


@celery_app.task(
    name=ESCALATE_BREACHED, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5
)
def escalate_breached() -> int:
    """Flag the active cases past their due time and commit, then e-mail the PV leads once."""
    with task_session() as session:
        now = utcnow()
        escalated: list[str] = []
        for case in service.breached(session, now):
            # A concurrent run may have flagged it since the query: the row lock makes the check reliable.
            session.refresh(case, with_for_update=True)
            if case.escalated_at is None:
                service.escalate(session, case, DUE_ACTOR, now)
                escalated.append(case.id)
        session.commit()
    if escalated:
        try:
            _email_leads(escalated)
        except TRANSIENT_ERRORS:
            log.warning("PV escalation e-mail failed; handing %d case(s) to %s", len(escalated), EMAIL_ESCALATION)
            email_escalation.apply_async(args=(escalated,), countdown=ESCALATION_RETRY_SECONDS)
    return len(escalated)


@celery_app.task(
    name=EMAIL_ESCALATION,
    acks_late=True,
    autoretry_for=(OperationalError, *TRANSIENT_ERRORS),
    retry_backoff=True,
    max_retries=8,
)
def email_escalation(case_ids: list[str]) -> bool:
    """Retry telling the PV leads about escalated cases after the first e-mail failed."""
    return _email_leads(case_ids)


def _email_leads(case_ids: list[str]) -> bool:
    """One e-mail to every active pv_specialist lead listing the cases (no case text)."""
    settings = task_settings()
    with task_session() as session:
        leads = [u.email for u in users_with_role(session, Role.PV_SPECIALIST, leads_only=True)]
        cases = [
            BreachedCase(c.id, c.case_number, c.status.value, c.serious, c.awareness_at, c.due_at)
            for c in session.scalars(select(AeCase).where(AeCase.id.in_(case_ids)).order_by(AeCase.due_at))
        ]
    if not leads:
        log.warning("no active pv_specialist lead to tell about %d escalated case(s)", len(case_ids))
        return False
    if not cases:
        return False
    return mailer_for(settings).send(escalation_email(settings, leads, cases))


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
