"""Escalating records past their due time, shared by every queue: flag them (audited) and commit, then tell
the leads of the queue's role in one e-mail; a failed e-mail is retried by a task without undoing the flags."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Generic, TypeVar

from celery import Task
from sqlalchemy.orm import Session

from api.audit.service import Actor
from api.auth.roles import Role
from api.auth.service import users_with_role
from api.celery_app import task_session, task_settings
from api.db import ExchangeRecord, utcnow
from api.notifications.mailer import TRANSIENT_ERRORS, mailer_for
from api.settings import Settings

log = logging.getLogger(__name__)

# How long after a failed escalation e-mail its retry task first tries again.
RETRY_SECONDS = 60


# Records opened per exchange (review items, AE cases) with an `escalated_at` flag.
R = TypeVar("R", bound=ExchangeRecord)


@dataclass(frozen=True)
class Escalation(Generic[R]):
    """One queue's escalation: who is told, who flags, how breached records are found, flagged and listed."""

    lead_role: Role
    actor: Actor
    breached: Callable[[Session, dt.datetime], list[R]]
    escalate: Callable[[Session, R, Actor, dt.datetime], None]
    is_flagged: Callable[[R], bool]
    # The leads' e-mail for records by id (no HCP text in it), or None if none of them exist any more.
    message: Callable[[Session, Settings, Sequence[str], list[str]], EmailMessage | None]


def flag_breached(escalation: Escalation[R]) -> list[str]:
    """Flag the records past their due time and commit; the ids flagged in this run."""
    with task_session() as session:
        now = utcnow()
        flagged: list[str] = []
        for record in escalation.breached(session, now):
            # A concurrent run may have flagged it since the query: the row lock makes the check reliable.
            session.refresh(record, with_for_update=True)
            if not escalation.is_flagged(record):
                escalation.escalate(session, record, escalation.actor, now)
                flagged.append(record.id)
        session.commit()
    return flagged


def email_leads(escalation: Escalation[R], ids: list[str]) -> bool:
    """One e-mail to every active lead of the queue's role listing the records; False if nobody to tell."""
    settings = task_settings()
    with task_session() as session:
        leads = [u.email for u in users_with_role(session, escalation.lead_role, leads_only=True)]
        message = escalation.message(session, settings, leads, ids) if leads else None
    if not leads:
        log.warning("no active %s lead to tell about %d escalated record(s)", escalation.lead_role, len(ids))
        return False
    return message is not None and mailer_for(settings).send(message)


def escalate_and_notify(escalation: Escalation[R], retry: Task) -> int:
    """Flag, commit, then e-mail the leads; a transient mail failure hands the ids to the `retry` task."""
    flagged = flag_breached(escalation)
    if flagged:
        try:
            email_leads(escalation, flagged)
        except TRANSIENT_ERRORS:
            # The flags are committed whatever happens here; the retry task keeps trying to tell the leads.
            log.warning("escalation e-mail failed; handing %d record(s) to %s", len(flagged), retry.name)
            retry.apply_async(args=(flagged,), countdown=RETRY_SECONDS)
    return len(flagged)
