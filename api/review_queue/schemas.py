"""Bodies of the review-queue API: the queue page, one item in detail, and the reviewer's actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.esign import service as esign
from api.esign.models import Signature
from api.review_queue.models import REVIEW_WORKFLOW, CloseReason, ReviewItem, ReviewKind, ReviewStatus
from api.review_queue.service import MAX_ANSWER_CHARS

MAX_REASON_CHARS = 500


class ReviewItemSummary(BaseModel):
    """One row of the queue: what, how urgent, and who works it. Text here is redacted."""

    id: str
    kind: ReviewKind
    status: ReviewStatus
    topic_guess: str | None
    question_text: str
    created_at: dt.datetime
    due_at: dt.datetime
    seconds_left: int = Field(description="Until the SLA due time; negative once breached.")
    escalated: bool
    claimed_by: str | None = Field(description="Display name of the reviewer who claimed the item.")

    @classmethod
    def of(cls, item: ReviewItem, now: dt.datetime) -> ReviewItemSummary:
        """From a review item (its claimant loaded), at a moment."""
        return cls(
            id=item.id,
            kind=item.kind,
            status=item.status,
            topic_guess=item.topic_guess,
            question_text=item.question_text,
            created_at=item.created_at,
            due_at=item.due_at,
            seconds_left=int((item.due_at - now).total_seconds()),
            escalated=item.escalated_at is not None,
            claimed_by=item.claimed_by.display_name if item.claimed_by else None,
        )


class ReviewPage(BaseModel):
    """One page of the queue, soonest SLA due first, and how many items match the filters."""

    items: list[ReviewItemSummary]
    total: int
    offset: int
    limit: int


class FindingOut(BaseModel):
    """Why the compliance check flagged the question (terms of PII findings are placeholders)."""

    model_config = ConfigDict(extra="ignore")

    detector: str
    label: str
    rule: str
    term: str = ""
    explanation: str = ""


class SignatureOut(BaseModel):
    """The electronic signature on the answer: signer, meaning, time, and whether it still covers the text."""

    reference: str
    signer: str
    meaning: str
    signed_at: dt.datetime
    valid: bool = Field(description="False once the answer text changed after signing.")

    @classmethod
    def of(cls, signature: Signature, text: str | None) -> SignatureOut:
        """From a signature and the text it should cover."""
        return cls(
            reference=signature.reference,
            signer=signature.signer_name,
            meaning=signature.meaning,
            signed_at=signature.signed_at,
            valid=esign.is_valid(signature, text),
        )


class ReviewItemDetail(ReviewItemSummary):
    """One item in full: the redacted question, why it is here, the draft answer and its signature."""

    exchange_id: str
    conversation_id: str
    reason: str
    findings: list[FindingOut]
    escalated_at: dt.datetime | None
    claimed_at: dt.datetime | None
    answer_text: str | None
    answered_by: str | None
    answered_at: dt.datetime | None
    signature: SignatureOut | None
    approved_at: dt.datetime | None
    close_reason: CloseReason | None
    closed_at: dt.datetime | None
    delivery_channel: str | None
    delivered_at: dt.datetime | None
    unsolicited_request: bool = Field(description="A Medical Information request: the answer is labelled so.")
    allowed_actions: list[str] = Field(description="Workflow actions possible from the current status.")

    @classmethod
    def build(cls, item: ReviewItem, signature: Signature | None, now: dt.datetime) -> ReviewItemDetail:
        """From a review item and its signature, at a moment."""
        summary = ReviewItemSummary.of(item, now)
        findings: list[dict[str, Any]] = item.findings or []
        return cls(
            **summary.model_dump(),
            exchange_id=item.exchange_id,
            conversation_id=item.conversation_id,
            reason=item.reason,
            findings=[FindingOut.model_validate(f) for f in findings],
            escalated_at=item.escalated_at,
            claimed_at=item.claimed_at,
            answer_text=item.answer_text,
            answered_by=item.answered_by.display_name if item.answered_by else None,
            answered_at=item.answered_at,
            signature=SignatureOut.of(signature, item.answer_text) if signature else None,
            approved_at=item.approved_at,
            close_reason=item.close_reason,
            closed_at=item.closed_at,
            delivery_channel=item.delivery_channel,
            delivered_at=item.delivered_at,
            unsolicited_request=item.kind is ReviewKind.MEDICAL_INFORMATION,
            allowed_actions=REVIEW_WORKFLOW.allowed(item.status),
        )


class AnswerIn(BaseModel):
    """The draft answer (saving it claims an open item; any edit voids an earlier signature)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_ANSWER_CHARS)


class ApproveIn(BaseModel):
    """The approver's password, re-entered: the electronic signature of the draft as a medical response."""

    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=1, max_length=256)


class ReturnIn(BaseModel):
    """Why the draft goes back for rework."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=MAX_REASON_CHARS)


class CloseIn(BaseModel):
    """Close without an answer: why, and an optional note."""

    model_config = ConfigDict(extra="forbid")

    reason: CloseReason
    note: str = Field(default="", max_length=MAX_REASON_CHARS)
