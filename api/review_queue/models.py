"""The medical review queue: questions no approved content answers."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, ExchangeRecord, enum_column


class ReviewStatus(StrEnum):
    """Workflow states; the reviewer workflow and its transitions come with the review issue."""

    OPEN = "open"


class ReviewItem(ExchangeRecord, Base):
    """A question waiting for a medical reviewer, one per exchange at most."""

    __tablename__ = "review_item"

    question_text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(300))
    status: Mapped[ReviewStatus] = mapped_column(
        enum_column(ReviewStatus, 20), default=ReviewStatus.OPEN, index=True
    )
