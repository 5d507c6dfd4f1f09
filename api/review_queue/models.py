"""The medical review queue: questions no approved content answers."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, UTCDateTime, enum_column, new_id, utcnow


class ReviewStatus(StrEnum):
    """Workflow states; the reviewer workflow and its transitions come with the review issue."""

    OPEN = "open"


class ReviewItem(Base):
    """A question waiting for a medical reviewer, one per exchange at most."""

    __tablename__ = "review_item"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    exchange_id: Mapped[str] = mapped_column(ForeignKey("exchange.id"), unique=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversation.id"), index=True)
    question_text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(300))
    status: Mapped[ReviewStatus] = mapped_column(
        enum_column(ReviewStatus, 20), default=ReviewStatus.OPEN, index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
