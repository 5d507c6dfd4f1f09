"""The medical review queue: novel questions, compliance holds and Medical Information requests."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.auth.models import StaffUser
from api.db import Base, ExchangeRecord, UTCDateTime, enum_column, utcnow
from api.workflow import Step, Workflow


class ReviewKind(StrEnum):
    """Why an item is in the queue."""

    NOVEL_QUESTION = "novel_question"
    COMPLIANCE_HOLD = "compliance_hold"
    MEDICAL_INFORMATION = "medical_information"


class ReviewStatus(StrEnum):
    """open → claimed → answered (draft) → approved | returned; or closed with a reason."""

    OPEN = "open"
    CLAIMED = "claimed"
    ANSWERED = "answered"
    RETURNED = "returned"
    APPROVED = "approved"
    CLOSED = "closed"


class CloseReason(StrEnum):
    """Why an item was closed without an answer."""

    DUPLICATE = "duplicate"
    NOT_MEDICAL = "not_a_medical_question"
    SPAM = "spam"
    # Closed by the system: an MLR-approved content item now answers it and was sent to the HCP (issue 11).
    ANSWERED_BY_CONTENT = "answered_by_content"


ACTIVE_STATUSES = frozenset(
    {ReviewStatus.OPEN, ReviewStatus.CLAIMED, ReviewStatus.ANSWERED, ReviewStatus.RETURNED}
)
_WORKING = frozenset({ReviewStatus.CLAIMED, ReviewStatus.ANSWERED, ReviewStatus.RETURNED})

REVIEW_WORKFLOW: Workflow[ReviewStatus] = Workflow(
    "review_item",
    {
        "claim": Step(frozenset({ReviewStatus.OPEN}), ReviewStatus.CLAIMED),
        "release": Step(_WORKING, ReviewStatus.OPEN),
        "answer": Step(_WORKING, ReviewStatus.ANSWERED),
        "approve": Step(frozenset({ReviewStatus.ANSWERED}), ReviewStatus.APPROVED),
        "return": Step(frozenset({ReviewStatus.ANSWERED}), ReviewStatus.RETURNED),
        "close": Step(ACTIVE_STATUSES, ReviewStatus.CLOSED),
    },
)


class ReviewItem(ExchangeRecord, Base):
    """A question waiting for a medical reviewer, one per exchange at most. Text here is redacted."""

    __tablename__ = "review_item"
    __table_args__ = (Index("ix_review_item_status_due", "status", "due_at"),)

    kind: Mapped[ReviewKind] = mapped_column(
        enum_column(ReviewKind, 30), default=ReviewKind.NOVEL_QUESTION, index=True
    )
    question_text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(300))
    topic_guess: Mapped[str | None] = mapped_column(String(80), index=True)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[ReviewStatus] = mapped_column(
        enum_column(ReviewStatus, 20), default=ReviewStatus.OPEN, index=True
    )
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    claimed_by_id: Mapped[str | None] = mapped_column(ForeignKey("staff_user.id"))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    answer_text: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[str | None] = mapped_column(ForeignKey("staff_user.id"))
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    signature_id: Mapped[str | None] = mapped_column(ForeignKey("signature.id"))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    close_reason: Mapped[CloseReason | None] = mapped_column(enum_column(CloseReason, 30))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    delivery_channel: Mapped[str | None] = mapped_column(String(10))
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    claimed_by: Mapped[StaffUser | None] = relationship(foreign_keys=[claimed_by_id])
    answered_by: Mapped[StaffUser | None] = relationship(foreign_keys=[answered_by_id])
