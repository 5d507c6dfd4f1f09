"""Getting a signed reviewer answer to the HCP: into the open chat (the widget polls), else by e-mail."""

from __future__ import annotations

import datetime as dt
import logging
from email.message import EmailMessage
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from api.audit import service as audit
from api.audit.service import Actor
from api.auth.models import StaffUser
from api.content.service import ApprovedContent
from api.conversations import service as conversations
from api.conversations.models import Conversation
from api.db import utcnow
from api.esign import service as esign
from api.esign.models import Signature
from api.hcp_profiles.models import HcpProfile
from api.jobs import PendingJobs
from api.notifications.mailer import Mailer, new_message
from api.review_queue.models import ReviewItem, ReviewKind, ReviewStatus
from api.review_queue.service import approve, approved_answers, get_item, signature_of
from api.settings import Settings

log = logging.getLogger(__name__)

EMAIL_ANSWER = "review_queue.email_answer"
# How long after approval the sweep takes over an answer nobody has shown or e-mailed yet.
SWEEP_AFTER = dt.timedelta(minutes=2)
CHAT, EMAIL = "chat", "email"
DELIVERY_ACTOR = Actor(None, "system:delivery")
# System content items whose approved wording frames a reviewer's answer to the HCP.
REVIEWER_ANSWER_TOPIC = "reviewer_answer"
UNSOLICITED_RESPONSE_TOPIC = "unsolicited_response"
# Field labels around the signed text (the sentences come from the content library).
SIGNATURE_BLOCK = "Reviewer: {signer}\nSignature: {reference} ({meaning}, {signed_at:%Y-%m-%d %H:%M} UTC)"
CONTENT_REFERENCES = "Ref.: {codes}"


class EmailOutcome(StrEnum):
    """What one run of the e-mail delivery did, for the task's log and result."""

    SENT = "sent"
    ALREADY_DELIVERED = "already_delivered"
    NOT_APPROVED = "not_approved"
    SIGNATURE_INVALID = "signature_invalid"
    NO_CONSENT = "no_email_or_consent"
    NO_CONTENT = "framing_content_not_servable"
    MAIL_NOT_CONFIGURED = "mail_not_configured"


def poll(session: Session, conversation_id: str) -> list[tuple[ReviewItem, Signature]]:
    """The widget's poll: marks the chat open and the answers it now shows as delivered in chat."""
    conversations.mark_seen(session, conversation_id)
    pairs = approved_answers(session, conversation_id)
    now = utcnow()
    for item, _ in pairs:
        if item.delivered_at is None:
            item.delivered_at, item.delivery_channel = now, CHAT
    return pairs


def chat_is_open(conversation: Conversation, settings: Settings, now: dt.datetime) -> bool:
    """Whether the HCP's widget polled recently enough to show an answer itself."""
    seen = conversation.last_seen_at
    return seen is not None and now - seen <= dt.timedelta(seconds=settings.chat_open_seconds)


def may_email(profile: HcpProfile) -> bool:
    """Whether the HCP left an e-mail address and consented to be contacted."""
    return bool(profile.email) and profile.consent_to_contact


def after_approval(session: Session, item: ReviewItem, settings: Settings) -> str | None:
    """The task to enqueue (with the item id, after the commit) to deliver a just-approved answer, if any.

    None when the chat is open (the next poll shows the answer) or the HCP cannot be e-mailed (the
    answer waits for their next visit to the chat).
    """
    conversation = session.get(Conversation, item.conversation_id)
    if conversation is None or chat_is_open(conversation, settings, utcnow()):
        return None
    return EMAIL_ANSWER if may_email(conversation.profile) else None


def approve_and_schedule(
    session: Session, item: ReviewItem, user: StaffUser, password: str, settings: Settings, jobs: PendingJobs
) -> Signature:
    """Sign the answer and queue its e-mail delivery if the chat is closed (sent after the commit)."""
    signature = approve(session, item, user, password)
    task = after_approval(session, item, settings)
    if task is not None:
        jobs.enqueue(task, item.id)
    return signature


def answer_email(
    item: ReviewItem, signature: Signature, to: str, content: ApprovedContent, settings: Settings
) -> EmailMessage | None:
    """The HCP's e-mail: approved framing, the signed text verbatim, signer and reference; None if the
    approved framing is not servable today (nothing unapproved goes out)."""
    topics = [REVIEWER_ANSWER_TOPIC]
    if item.kind is ReviewKind.MEDICAL_INFORMATION:
        topics.append(UNSOLICITED_RESPONSE_TOPIC)
    framing = [content.system(topic) for topic in topics]
    if any(f is None for f in framing):
        return None
    items = [f for f in framing if f is not None]
    assert item.answer_text is not None
    body = "\n\n".join(
        [
            *(f.body for f in items),
            item.answer_text,
            SIGNATURE_BLOCK.format(
                signer=signature.signer_name,
                reference=signature.reference,
                meaning=signature.meaning,
                signed_at=signature.signed_at.astimezone(dt.UTC),
            ),
            CONTENT_REFERENCES.format(codes=", ".join(f"{f.approval_code} {f.version}" for f in items)),
        ]
    )
    # The most specific label names the message: a response to an unsolicited request, if it is one.
    return new_message(settings, [to], items[-1].title, body + "\n")


def email_answer(
    session: Session, item_id: str, settings: Settings, mailer: Mailer, content: ApprovedContent
) -> EmailOutcome:
    """E-mail an approved answer once, then mark it delivered (the caller commits).

    The row is locked while sending (PostgreSQL), so two deliveries of the task cannot both send; a crash
    between the send and the commit sends again rather than never.
    """
    item = get_item(session, item_id, for_update=True)
    if item.delivered_at is not None:
        return EmailOutcome.ALREADY_DELIVERED
    if item.status is not ReviewStatus.APPROVED:
        return EmailOutcome.NOT_APPROVED
    signature = signature_of(session, item)
    if signature is None or not esign.is_valid(signature, item.answer_text):
        log.error("review item %s: the signature does not cover the answer text; e-mail refused", item.id)
        audit.record(
            session,
            DELIVERY_ACTOR,
            "review_item.delivery_refused",
            "review_item",
            item.id,
            reason="the signature does not cover the answer text",
        )
        return EmailOutcome.SIGNATURE_INVALID
    conversation = session.get(Conversation, item.conversation_id)
    profile = conversation.profile if conversation is not None else None
    if profile is None or not may_email(profile) or profile.email is None:
        return EmailOutcome.NO_CONSENT
    message = answer_email(item, signature, profile.email, content, settings)
    if message is None:
        log.error("review item %s: the framing content is not servable today; e-mail not sent", item.id)
        return EmailOutcome.NO_CONTENT
    if not mailer.send(message):
        return EmailOutcome.MAIL_NOT_CONFIGURED
    item.delivered_at, item.delivery_channel = utcnow(), EMAIL
    audit.record(
        session,
        DELIVERY_ACTOR,
        "review_item.delivered",
        "review_item",
        item.id,
        reason=f"email; {signature.reference}",
    )
    return EmailOutcome.SENT


def awaiting_email(session: Session, settings: Settings, now: dt.datetime, limit: int = 100) -> list[str]:
    """Approved answers neither shown in chat nor e-mailed, to an HCP who may be e-mailed, whose chat has
    been closed for a while: the e-mail task was lost, or the HCP left just as the answer was approved."""
    closed_since = now - dt.timedelta(seconds=settings.chat_open_seconds)
    rows = session.execute(
        select(ReviewItem, Signature)
        .join(Signature, Signature.id == ReviewItem.signature_id)
        .join(Conversation, Conversation.id == ReviewItem.conversation_id)
        .join(HcpProfile, HcpProfile.id == Conversation.hcp_profile_id)
        .where(
            ReviewItem.status == ReviewStatus.APPROVED,
            ReviewItem.delivered_at.is_(None),
            ReviewItem.approved_at < now - SWEEP_AFTER,
            or_(Conversation.last_seen_at.is_(None), Conversation.last_seen_at < closed_since),
            HcpProfile.consent_to_contact.is_(True),
            HcpProfile.email.is_not(None),
        )
        .order_by(ReviewItem.approved_at)
        .limit(limit)
    ).all()
    # An answer edited after signing is refused (and audited) once by the task, not every minute.
    return [item.id for item, signature in rows if esign.is_valid(signature, item.answer_text)]
