"""E-mail to PV leads about cases past their regulatory due time: case numbers and links, never case text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage

from api.notifications.mailer import new_message
from api.settings import Settings

SUBJECT = "Drug safety: {count} AE case(s) past their due time"
INTRO = "These adverse-event cases passed their regulatory due time and have been escalated to you as a PV lead:"
LINE = "- {number}{serious}, {status}, day 0 {received} UTC, due {due} UTC\n  {link}"
OUTRO = "No case content is included in e-mail: sign in and open the link to work the case."
SERIOUS = " (SERIOUS)"


@dataclass(frozen=True)
class BreachedCase:
    """What a lead needs to find and prioritise an escalated case; deliberately no case text."""

    id: str
    case_number: str
    status: str
    serious: bool
    awareness_at: dt.datetime
    due_at: dt.datetime


def case_link(settings: Settings, case_id: str) -> str:
    """The staff screen of one case."""
    return f"{settings.public_base_url.rstrip('/')}/staff/pv/cases/{case_id}"


def escalation_email(settings: Settings, to: Sequence[str], cases: Sequence[BreachedCase]) -> EmailMessage:
    """One message to the PV leads listing every case escalated in one run."""
    lines = [
        LINE.format(
            number=c.case_number,
            serious=SERIOUS if c.serious else "",
            status=c.status,
            received=f"{c.awareness_at.astimezone(dt.UTC):%Y-%m-%d %H:%M}",
            due=f"{c.due_at.astimezone(dt.UTC):%Y-%m-%d %H:%M}",
            link=case_link(settings, c.id),
        )
        for c in cases
    ]
    body = "\n\n".join([INTRO, *lines, OUTRO]) + "\n"
    return new_message(settings, to, SUBJECT.format(count=len(cases)), body)
