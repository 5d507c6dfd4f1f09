"""Queries and writes of the review queue; the caller owns the transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.conversations.models import Exchange, Route
from api.db import utcnow
from api.errors import NotFound
from api.review_queue.models import ReviewItem


def open_for_exchange(session: Session, exchange_id: str) -> ReviewItem:
    """The review item of an exchange, created if it does not exist yet (idempotent)."""
    existing = session.scalar(select(ReviewItem).where(ReviewItem.exchange_id == exchange_id))
    if existing is not None:
        return existing
    exchange = session.get(Exchange, exchange_id)
    if exchange is None:
        raise NotFound("exchange", exchange_id)
    item = ReviewItem(
        exchange_id=exchange.id,
        conversation_id=exchange.conversation_id,
        question_text=exchange.inbound_text,
        reason=exchange.route_reason or "no approved content answers this question",
    )
    try:
        with session.begin_nested():
            session.add(item)
    except IntegrityError:
        # Another delivery of the same task created it first.
        found = session.scalar(select(ReviewItem).where(ReviewItem.exchange_id == exchange_id))
        assert found is not None
        return found
    return item


def hold_for_review(session: Session, exchange: Exchange, original_text: str, reason: str) -> ReviewItem:
    """Open a review item now, in the caller's transaction (a message the compliance check could not clear)."""
    item = ReviewItem(
        exchange_id=exchange.id,
        conversation_id=exchange.conversation_id,
        question_text=original_text,
        reason=reason,
    )
    session.add(item)
    session.flush()
    return item


def exchanges_missing_review(session: Session, older_than: dt.timedelta) -> list[str]:
    """Exchanges routed to review whose review item was never created (a lost send)."""
    cutoff = utcnow() - older_than
    rows = session.scalars(
        select(Exchange.id)
        .outerjoin(ReviewItem, ReviewItem.exchange_id == Exchange.id)
        .where(Exchange.route == Route.REVIEW, ReviewItem.id.is_(None), Exchange.received_at < cutoff)
        .limit(500)
    )
    return list(rows)


def list_open(session: Session, limit: int = 100) -> list[ReviewItem]:
    """Open review items, oldest first."""
    return list(session.scalars(select(ReviewItem).order_by(ReviewItem.created_at).limit(limit)))
