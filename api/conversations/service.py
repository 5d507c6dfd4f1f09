"""Queries and writes for conversations and exchanges; the caller owns the transaction."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from api.conversations.models import Conversation, Exchange, ExchangeStatus, Reply, Route
from api.db import new_id, utcnow
from api.errors import NotFound
from api.hcp_profiles.models import HcpProfile
from api.hcp_profiles.schemas import HcpDetails
from api.moderation.service import ModerationContext
from compliance import Assessment
from content_library import ContentItem


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start_conversation(session: Session, details: HcpDetails | None) -> tuple[Conversation, str]:
    """Create a conversation and its profile; returns it with the secret the widget holds (shown once)."""
    details = details or HcpDetails()
    profile = HcpProfile(
        id=new_id(),
        name=details.name,
        npi=details.npi,
        specialty=details.specialty,
        email=details.email,
        consent_to_contact=details.consent,
    )
    secret = secrets.token_urlsafe(24)
    conversation = Conversation(id=new_id(), profile=profile, secret_hash=_secret_hash(secret))
    session.add_all([profile, conversation])
    session.flush()
    return conversation, secret


def secret_matches(conversation: Conversation, secret: str | None) -> bool:
    """Whether a caller holds the conversation's secret."""
    if not secret or conversation.secret_hash is None or len(secret) > 200:
        return False
    return secrets.compare_digest(_secret_hash(secret), conversation.secret_hash)


def mark_seen(session: Session, conversation_id: str) -> None:
    """The widget is open on this conversation now."""
    session.execute(update(Conversation).where(Conversation.id == conversation_id).values(last_seen_at=utcnow()))


def moderation_context(conversation: Conversation) -> ModerationContext:
    """What the conversation so far tells the compliance layer about a new message."""
    profile = conversation.profile
    return ModerationContext(
        product_in_conversation=conversation.product_mentioned,
        reporter_identified=True if (profile.name or profile.npi) else None,
    )


def mark_product_mentioned(session: Session, conversation_id: str) -> None:
    """Remember that the product has come up in this conversation."""
    session.execute(update(Conversation).where(Conversation.id == conversation_id).values(product_mentioned=True))


def record_inbound(session: Session, conversation_id: str, assessment: Assessment) -> Exchange:
    """Record an HCP message as received (redacted), numbered within its conversation."""
    # An atomic counter keeps sequence numbers unique under concurrent messages.
    sequence = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(message_count=Conversation.message_count + 1)
        .returning(Conversation.message_count)
    ).scalar_one_or_none()
    if sequence is None:
        raise NotFound("conversation", conversation_id)
    exchange = Exchange(
        conversation_id=conversation_id,
        sequence=sequence,
        inbound_text=assessment.redacted_text,
        compliance_route=assessment.route.value,
        compliance_findings=[finding.to_dict() for finding in assessment.findings],
    )
    session.add(exchange)
    session.flush()
    return exchange


def record_outcome(
    session: Session,
    exchange: Exchange,
    *,
    route: Route,
    status: ExchangeStatus,
    reason: str,
    items: Sequence[ContentItem],
    intent: str | None,
    confidence: float | None,
    assistant_ms: float | None,
    total_ms: float,
) -> list[Reply]:
    """Record how the message was answered, with the exact approved versions sent; returns the replies."""
    exchange.status = status
    exchange.route = route
    exchange.route_reason = reason
    exchange.intent = intent
    exchange.confidence = confidence
    exchange.assistant_ms = assistant_ms
    exchange.total_ms = total_ms
    exchange.replied_at = utcnow()
    replies = [
        Reply(
            exchange_id=exchange.id,
            position=position,
            content_id=item.id,
            approval_code=item.approval_code,
            version=item.version,
            topic=item.topic,
            text=item.body,
        )
        for position, item in enumerate(items)
    ]
    session.add_all(replies)
    session.flush()
    return replies


def get_conversation(session: Session, conversation_id: str) -> Conversation:
    """A conversation by id, or NotFound."""
    conversation = session.scalar(
        select(Conversation).options(joinedload(Conversation.profile)).where(Conversation.id == conversation_id)
    )
    if conversation is None:
        raise NotFound("conversation", conversation_id)
    return conversation
