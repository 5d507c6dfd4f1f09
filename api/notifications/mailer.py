"""Outbound e-mail behind a small interface: SMTP in every deployment, a test double where a test wants one."""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Protocol

from api.db import utcnow
from api.settings import Settings

log = logging.getLogger(__name__)

# Long enough for a slow relay, short enough that a dead one does not hold a worker (or a row lock) for long.
SMTP_TIMEOUT_SECONDS = 15.0
# Errors worth another try later: the relay is down, slow or temporarily refusing.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (smtplib.SMTPException, OSError)


class Mailer(Protocol):
    """Sends one message; True if it was handed to the relay, False if e-mail is not configured."""

    def send(self, message: EmailMessage) -> bool: ...


def new_message(settings: Settings, to: Sequence[str], subject: str, body: str) -> EmailMessage:
    """A plain-text UTF-8 message from this deployment's sender address."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    # Tells auto-responders not to answer (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    # Quoted-printable keeps the text intact through relays that do not speak 8BITMIME.
    message.set_content(body, charset="utf-8", cte="quoted-printable")
    return message


class SmtpMailer:
    """Sends through the SMTP relay named in the settings (STARTTLS and login when configured)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, message: EmailMessage) -> bool:
        """Hand a message to the relay. Relay errors are raised so that the calling task can retry."""
        settings = self.settings
        if not settings.smtp_host:
            # Addresses are personal data: the log names the subject only.
            log.warning("SMTP_HOST is not set: e-mail %r was not sent", str(message["Subject"]))
            return False
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_username:
                password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                smtp.login(settings.smtp_username, password)
            smtp.send_message(message)
        log.info("e-mail %r sent", str(message["Subject"]))
        return True


def mailer_for(settings: Settings) -> Mailer:
    """The mailer of a deployment."""
    return SmtpMailer(settings)
