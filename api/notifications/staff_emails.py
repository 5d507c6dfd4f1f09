"""E-mails to staff (internal wording, not HCP-facing): built from plain data, never from record text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from api.notifications.mailer import new_message
from api.settings import Settings

ESCALATION_SUBJECT = "Review queue: {count} item(s) past their SLA due time"
ESCALATION_INTRO = "These review items passed their SLA due time and have been escalated to you as a lead:"
ESCALATION_ITEM = "- {kind}, {status}, topic guess: {topic}\n  due {due_local} ({due_utc} UTC)\n  {link}"
ESCALATION_OUTRO = "The question text is not included in e-mail: sign in and open the link to read it."
NO_TOPIC = "none"


@dataclass(frozen=True)
class BreachedItem:
    """What a lead needs to find and prioritise an escalated item; deliberately no question text."""

    id: str
    kind: str
    status: str
    topic_guess: str | None
    due_at: dt.datetime


def queue_link(settings: Settings, item_id: str) -> str:
    """The staff screen of one review item."""
    return f"{settings.public_base_url.rstrip('/')}/staff/queue/{item_id}"


def escalation_email(settings: Settings, to: Sequence[str], items: Sequence[BreachedItem]) -> EmailMessage:
    """One message to the leads listing every item escalated in one run."""
    zone = ZoneInfo(settings.business_timezone)
    lines = [
        ESCALATION_ITEM.format(
            kind=item.kind,
            status=item.status,
            topic=item.topic_guess or NO_TOPIC,
            due_local=f"{item.due_at.astimezone(zone):%a %Y-%m-%d %H:%M %Z}",
            due_utc=f"{item.due_at.astimezone(dt.UTC):%Y-%m-%d %H:%M}",
            link=queue_link(settings, item.id),
        )
        for item in items
    ]
    body = "\n\n".join([ESCALATION_INTRO, *lines, ESCALATION_OUTRO]) + "\n"
    return new_message(settings, to, ESCALATION_SUBJECT.format(count=len(items)), body)
