"""Writes and queries of AE cases; the caller owns the transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.ae_cases.models import PV_DUE_AFTER, AeCase
from api.conversations.models import Conversation, Exchange
from compliance import Assessment


def open_case(session: Session, exchange: Exchange, conversation: Conversation, assessment: Assessment) -> AeCase:
    """Record a possible AE; awareness time is the moment the message was received (verbatim kept apart)."""
    criteria = assessment.ae_criteria.to_dict()
    case = AeCase(
        exchange_id=exchange.id,
        conversation_id=conversation.id,
        hcp_profile_id=conversation.hcp_profile_id,
        awareness_at=exchange.received_at,
        due_at=exchange.received_at + PV_DUE_AFTER,
        patient_identified=criteria["patient"],
        reporter_identified=criteria["reporter"],
        product_identified=criteria["product"],
        event_identified=criteria["event"],
        seriousness=list(assessment.seriousness),
        special_situations=[s.value for s in assessment.special_situations],
        events=list(assessment.events),
        products=list(assessment.products),
        findings=[f.to_dict() for f in assessment.findings],
        narrative=assessment.redacted_text,
    )
    session.add(case)
    session.flush()
    return case


def for_exchange(session: Session, exchange_id: str) -> AeCase | None:
    """The AE case opened for an exchange, if any."""
    return session.scalar(select(AeCase).where(AeCase.exchange_id == exchange_id))
