"""Writes to the insights projection. Callers pass de-identified facts only: a pseudonym, never an identity.

Only HCPs who currently consent to insights have rows here: a revocation removes them at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from api.db import utcnow
from api.insights.models import InsightEvent, InsightHcp, InsightQuestion

UNKNOWN_SPECIALTY = "unknown"


@dataclass(frozen=True)
class ProjectedHcp:
    """What the projection may know of an HCP."""

    key: str
    specialty: str | None
    stage: str
    main_interest: str | None


@dataclass(frozen=True)
class ProjectedEvent:
    """One exchange as the projection records it (no text, no identity)."""

    source_id: int
    occurred_at: dt.datetime
    route: str
    topic: str | None
    content_id: str | None
    helpful: bool | None
    followed_up: bool


def week_of(day: dt.date) -> dt.date:
    """The Monday of a date's week."""
    return day - dt.timedelta(days=day.weekday())


def upsert_hcp(session: Session, hcp: ProjectedHcp, seen_at: dt.datetime) -> None:
    """Create or refresh the HCP's projected facts."""
    row = session.get(InsightHcp, hcp.key)
    specialty = hcp.specialty or UNKNOWN_SPECIALTY
    if row is None:
        session.add(
            InsightHcp(
                hcp_key=hcp.key,
                specialty=specialty,
                stage=hcp.stage,
                main_interest=hcp.main_interest,
                first_seen=seen_at,
                last_seen=seen_at,
                changed_at=utcnow(),
            )
        )
    else:
        row.specialty, row.stage, row.main_interest = specialty, hcp.stage, hcp.main_interest
        row.last_seen = max(row.last_seen, seen_at)
        row.changed_at = utcnow()
    session.flush()


def add_event(session: Session, hcp: ProjectedHcp, event: ProjectedEvent) -> None:
    """Mirror one engagement event (idempotent by source id)."""
    if session.scalar(select(InsightEvent.id).where(InsightEvent.source_id == event.source_id)) is not None:
        return
    day = event.occurred_at.date()
    session.add(
        InsightEvent(
            source_id=event.source_id,
            hcp_key=hcp.key,
            occurred_at=event.occurred_at,
            day=day,
            week=week_of(day),
            specialty=hcp.specialty or UNKNOWN_SPECIALTY,
            stage=hcp.stage,
            route=event.route,
            topic=event.topic,
            content_id=event.content_id,
            helpful=event.helpful,
            followed_up=event.followed_up,
        )
    )
    session.flush()


def add_question(
    session: Session, hcp: ProjectedHcp, source_id: int, occurred_at: dt.datetime, redacted_text: str
) -> None:
    """Mirror an unanswered question: its redacted text only (idempotent by source id)."""
    if session.scalar(select(InsightQuestion.id).where(InsightQuestion.source_id == source_id)) is not None:
        return
    session.add(
        InsightQuestion(
            source_id=source_id,
            hcp_key=hcp.key,
            occurred_at=occurred_at,
            specialty=hcp.specialty or UNKNOWN_SPECIALTY,
            stage=hcp.stage,
            text=redacted_text,
        )
    )
    session.flush()


def _touch(session: Session, source_id: int) -> None:
    # Any change to an HCP's rows moves their changed_at: the dashboards' cache sees it at once.
    key = select(InsightEvent.hcp_key).where(InsightEvent.source_id == source_id).scalar_subquery()
    session.execute(update(InsightHcp).where(InsightHcp.hcp_key == key).values(changed_at=utcnow()))


def set_rating(session: Session, source_id: int, helpful: bool) -> None:
    """Apply a rating to a mirrored event (nothing happens if it is not mirrored)."""
    session.execute(update(InsightEvent).where(InsightEvent.source_id == source_id).values(helpful=helpful))
    _touch(session, source_id)


def set_followed_up(session: Session, source_id: int) -> None:
    """Mark a mirrored event as followed by another message."""
    session.execute(update(InsightEvent).where(InsightEvent.source_id == source_id).values(followed_up=True))
    _touch(session, source_id)


def forget(session: Session, key: str) -> None:
    """Remove everything the projection holds for a pseudonym (consent revoked, or erasure)."""
    for model in (InsightEvent, InsightQuestion):
        session.execute(delete(model).where(model.hcp_key == key))
    session.execute(delete(InsightHcp).where(InsightHcp.hcp_key == key))
    session.flush()
