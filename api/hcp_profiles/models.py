"""The engagement profile of a website visitor: identity (apart from conversation text), consent, engagement."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, UTCDateTime, enum_column, new_id, utcnow


class JourneyStage(StrEnum):
    """Where an HCP is in their journey with the brand; stages only move forward (see hcp_profiles.journey)."""

    AWARENESS = "awareness"
    CONSIDERATION = "consideration"
    TRIAL = "trial"
    ADOPTION = "adoption"
    ADVOCACY = "advocacy"


class ConsentPurpose(StrEnum):
    """What an HCP may consent to, each on its own."""

    MI_CONTACT = "mi_contact"
    MARKETING = "marketing"
    INSIGHTS = "insights"


class HcpProfile(Base):
    """One visitor's engagement profile; every exchange of their conversations is logged to it."""

    __tablename__ = "hcp_profile"
    # Next best content reads a segment's peers (same stage and specialty) on every answered chat turn.
    __table_args__ = (Index("ix_hcp_profile_stage_specialty", "journey_stage", "specialty"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str | None] = mapped_column(String(120))
    npi: Mapped[str | None] = mapped_column(String(10), index=True)
    # True once the NPI passed the check-digit test (Luhn with the 80840 prefix): only then does it link profiles.
    npi_verified: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    specialty: Mapped[str | None] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(254))
    # Current consent per purpose; the versioned record of each grant and revocation is ConsentEvent.
    consent_to_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_marketing: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    consent_insights: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # SHA-256 of the token the widget keeps in the browser: the same browser continues the same profile.
    visitor_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # The only thing the insights projection knows of the profile: a random pseudonym, never the id.
    insights_key: Mapped[str] = mapped_column(String(36), default=new_id, unique=True)
    journey_stage: Mapped[JourneyStage] = mapped_column(
        enum_column(JourneyStage, 20), default=JourneyStage.AWARENESS, server_default=JourneyStage.AWARENESS.value
    )
    # Decaying topic affinities: {topic: {"score": float, "at": iso time of the score}}.
    affinities: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    main_interest: Mapped[str | None] = mapped_column(String(60))
    segment: Mapped[str | None] = mapped_column(String(200), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ConsentEvent(Base):
    """One grant or revocation: which approved consent text (id, code, version), when and how."""

    __tablename__ = "consent_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    profile_id: Mapped[str] = mapped_column(ForeignKey("hcp_profile.id"), index=True)
    purpose: Mapped[ConsentPurpose] = mapped_column(enum_column(ConsentPurpose, 20))
    granted: Mapped[bool] = mapped_column(Boolean)
    content_id: Mapped[str] = mapped_column(String(80))
    approval_code: Mapped[str] = mapped_column(String(20))
    version: Mapped[str] = mapped_column(String(10))
    method: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class EngagementEvent(Base):
    """One exchange logged to the profile: channel, topic, item served, route, rating, follow-up."""

    __tablename__ = "engagement_event"
    # Covers the peers' items and ratings that next best content counts (hcp_profiles.next_best).
    __table_args__ = (Index("ix_engagement_event_profile_content", "profile_id", "content_id", "helpful"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    profile_id: Mapped[str] = mapped_column(ForeignKey("hcp_profile.id"), index=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversation.id"), index=True)
    exchange_id: Mapped[str] = mapped_column(ForeignKey("exchange.id"), unique=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    channel: Mapped[str] = mapped_column(String(20))
    route: Mapped[str] = mapped_column(String(20))
    topic: Mapped[str | None] = mapped_column(String(60))
    content_id: Mapped[str | None] = mapped_column(String(80), index=True)
    helpful: Mapped[bool | None] = mapped_column(Boolean)
    rated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The HCP sent another message in the same conversation after this answer.
    followed_up: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
