"""Writes of medical-information requests; the caller owns the transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from api.conversations.models import Conversation, Exchange
from api.medical_requests.models import MedicalRequest
from compliance import Assessment


def open_request(
    session: Session, exchange: Exchange, conversation: Conversation, assessment: Assessment
) -> MedicalRequest:
    """Record an off-label request for Medical Information (redacted text only)."""
    request = MedicalRequest(
        exchange_id=exchange.id,
        conversation_id=conversation.id,
        hcp_profile_id=conversation.hcp_profile_id,
        question_text=assessment.redacted_text,
        findings=[f.to_dict() for f in assessment.findings],
    )
    session.add(request)
    session.flush()
    return request
