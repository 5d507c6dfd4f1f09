"""Conversations and their exchanges: what the HCP sent and which approved items answered."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.db import Base, UTCDateTime, enum_column, new_id, utcnow
from api.hcp_profiles.models import HcpProfile


class Route(StrEnum):
    """Where a message went: the contract the website and the evaluations read."""

    ANSWERED = "answered"
    REVIEW = "review"
    AE_TRIAGE = "ae_triage"
    OFF_LABEL = "off_label"
    CHITCHAT = "chitchat"
    DECLINED = "declined"


class ExchangeStatus(StrEnum):
    """RECEIVED is committed before the assistant is asked, so no message can be lost."""

    RECEIVED = "received"
    REPLIED = "replied"
    ASSISTANT_UNAVAILABLE = "assistant_unavailable"


class Conversation(Base):
    """One chat session of a visitor on the brand website."""

    __tablename__ = "conversation"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    hcp_profile_id: Mapped[str] = mapped_column(ForeignKey("hcp_profile.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20), default="web")
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    # Once Quelvanti has come up, a later AE report's suspect product is implied.
    product_mentioned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # SHA-256 of the secret issued to the widget: only its holder (or allowed staff) reads the transcript.
    secret_hash: Mapped[str | None] = mapped_column(String(64))
    # When the widget last polled: a chat not seen for a while is closed, and answers go by e-mail.
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    profile: Mapped[HcpProfile] = relationship()
    exchanges: Mapped[list[Exchange]] = relationship(back_populates="conversation", order_by="Exchange.sequence")


class Exchange(Base):
    """One HCP message and the assistant's answer to it."""

    __tablename__ = "exchange"
    __table_args__ = (UniqueConstraint("conversation_id", "sequence"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversation.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    # Only the redacted text is ever stored here: every later view reads this column.
    inbound_text: Mapped[str] = mapped_column(Text)
    compliance_route: Mapped[str | None] = mapped_column(String(20), index=True)
    compliance_findings: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[ExchangeStatus] = mapped_column(
        enum_column(ExchangeStatus, 30), default=ExchangeStatus.RECEIVED
    )
    route: Mapped[Route | None] = mapped_column(enum_column(Route, 20), index=True)
    intent: Mapped[str | None] = mapped_column(String(80))
    confidence: Mapped[float | None] = mapped_column(Float)
    route_reason: Mapped[str | None] = mapped_column(String(300))
    assistant_ms: Mapped[float | None] = mapped_column(Float)
    total_ms: Mapped[float | None] = mapped_column(Float)
    replied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    conversation: Mapped[Conversation] = relationship(back_populates="exchanges")
    replies: Mapped[list[Reply]] = relationship(
        back_populates="exchange", order_by="Reply.position", cascade="all, delete-orphan"
    )


class Reply(Base):
    """An approved item sent in answer, recorded with the exact version shown."""

    __tablename__ = "reply"
    __table_args__ = (UniqueConstraint("exchange_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    exchange_id: Mapped[str] = mapped_column(ForeignKey("exchange.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    content_id: Mapped[str] = mapped_column(String(80), index=True)
    approval_code: Mapped[str] = mapped_column(String(20))
    version: Mapped[str] = mapped_column(String(10))
    topic: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)

    exchange: Mapped[Exchange] = relationship(back_populates="replies")
