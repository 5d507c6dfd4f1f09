"""The insights projection: de-identified by construction (no profile id, name, NPI, e-mail or verbatim text).

Rows exist only for HCPs who currently consent to insights; `hcp_key` is a random pseudonym used to count
distinct HCPs for k-anonymity, and `source_id` names the engagement event a row mirrors (to apply ratings).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, UTCDateTime


class InsightHcp(Base):
    """An HCP as the insights see them: specialty, current stage and main interest only."""

    __tablename__ = "insight_hcp"

    hcp_key: Mapped[str] = mapped_column(String(36), primary_key=True)
    specialty: Mapped[str] = mapped_column(String(80), index=True)
    stage: Mapped[str] = mapped_column(String(20), index=True)
    main_interest: Mapped[str | None] = mapped_column(String(60))
    first_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    # When anything of this HCP last changed in the projection: with the row count, the dashboards' cache key.
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class InsightEvent(Base):
    """One consented exchange: when, who (pseudonym), specialty and stage at the time, what was served."""

    __tablename__ = "insight_event"
    __table_args__ = (
        Index("ix_insight_event_day_specialty", "day", "specialty"),
        # One covering index per grouping of the dashboard (insights.service.event_tables), led by its group
        # columns: each aggregate reads only its own index, in group order, with the filters' columns in it.
        Index("ix_insight_event_week_topic", "week", "topic", "day", "hcp_key", "specialty", "stage"),
        Index(
            "ix_insight_event_content",
            "content_id",
            "day",
            "hcp_key",
            "helpful",
            "followed_up",
            "specialty",
            "stage",
        ),
        Index("ix_insight_event_specialty_day", "specialty", "day", "hcp_key", "route", "stage"),
        Index("ix_insight_event_route_day", "route", "day", "hcp_key", "specialty", "stage"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[int] = mapped_column(Integer, unique=True)
    hcp_key: Mapped[str] = mapped_column(String(36), index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    day: Mapped[dt.date] = mapped_column(Date)
    # The Monday of the week: topic demand is drawn by week.
    week: Mapped[dt.date] = mapped_column(Date)
    specialty: Mapped[str] = mapped_column(String(80))
    stage: Mapped[str] = mapped_column(String(20))
    route: Mapped[str] = mapped_column(String(20))
    topic: Mapped[str | None] = mapped_column(String(60))
    content_id: Mapped[str | None] = mapped_column(String(80))
    helpful: Mapped[bool | None] = mapped_column(Boolean)
    followed_up: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class InsightQuestion(Base):
    """A question the assistant could not answer (sent to medical review), as redacted text only."""

    __tablename__ = "insight_question"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[int] = mapped_column(Integer, unique=True)
    hcp_key: Mapped[str] = mapped_column(String(36), index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    specialty: Mapped[str] = mapped_column(String(80))
    stage: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
