"""Queries and writes of the review queue; the caller owns the transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from api import strings
from api.audit import service as audit
from api.audit.service import Actor
from api.auth.models import StaffUser
from api.auth.service import actor_of
from api.conversations.models import Exchange, Route
from api.db import utcnow
from api.errors import Conflict, InvalidInput, NotFound
from api.esign import service as esign
from api.esign.models import Signature
from api.review_queue.models import (
    ACTIVE_STATUSES,
    REVIEW_WORKFLOW,
    CloseReason,
    ReviewItem,
    ReviewKind,
    ReviewStatus,
)
from api.review_queue.sla import due_at
from api.settings import Settings
from api.workflow import transition

T = TypeVar("T")
MAX_ANSWER_CHARS = 8000
# What a reviewer's signature on an answer means, stored with it.
APPROVAL_MEANING = "approved as a medical response"
SIGNATURE_PREFIX = "MR"
DEFAULT_REASONS = {
    ReviewKind.NOVEL_QUESTION: "no approved content answers this question",
    ReviewKind.COMPLIANCE_HOLD: "compliance check could not complete: held for a human",
    ReviewKind.MEDICAL_INFORMATION: "unsolicited request for off-label information",
}


def _new_item(
    exchange: Exchange, kind: ReviewKind, settings: Settings, findings: list[dict[str, object]] | None = None
) -> ReviewItem:
    return ReviewItem(
        exchange_id=exchange.id,
        conversation_id=exchange.conversation_id,
        kind=kind,
        question_text=exchange.inbound_text,
        reason=(exchange.route_reason if kind is ReviewKind.NOVEL_QUESTION else None) or DEFAULT_REASONS[kind],
        topic_guess=exchange.intent,
        findings=findings if findings is not None else list(exchange.compliance_findings or []),
        status=ReviewStatus.OPEN,
        created_at=utcnow(),
        due_at=due_at(kind, exchange.received_at, settings),
    )


def open_for_exchange(session: Session, exchange_id: str, settings: Settings) -> ReviewItem:
    """The review item of a novel question, created if it does not exist yet (idempotent)."""
    existing = session.scalar(select(ReviewItem).where(ReviewItem.exchange_id == exchange_id))
    if existing is not None:
        return existing
    exchange = session.get(Exchange, exchange_id)
    if exchange is None:
        raise NotFound("exchange", exchange_id)
    item = _new_item(exchange, ReviewKind.NOVEL_QUESTION, settings)
    try:
        with session.begin_nested():
            session.add(item)
    except IntegrityError:
        # Another delivery of the same task created it first.
        found = session.scalar(select(ReviewItem).where(ReviewItem.exchange_id == exchange_id))
        assert found is not None
        return found
    return item


def open_now(session: Session, exchange: Exchange, kind: ReviewKind, settings: Settings) -> ReviewItem:
    """Open an item in the caller's transaction (a compliance hold, a Medical Information request)."""
    item = _new_item(exchange, kind, settings)
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


@dataclass(frozen=True)
class QueueFilter:
    """What a reviewer narrows the queue to; empty fields do not filter."""

    kind: ReviewKind | None = None
    status: ReviewStatus | None = None
    topic: str | None = None
    older_than_hours: float | None = None
    active_only: bool = True


def _filtered(query: Select[T], f: QueueFilter) -> Select[T]:
    if f.kind is not None:
        query = query.where(ReviewItem.kind == f.kind)
    if f.status is not None:
        query = query.where(ReviewItem.status == f.status)
    elif f.active_only:
        query = query.where(ReviewItem.status.in_(ACTIVE_STATUSES))
    if f.topic:
        query = query.where(ReviewItem.topic_guess == f.topic)
    if f.older_than_hours is not None:
        query = query.where(ReviewItem.created_at <= utcnow() - dt.timedelta(hours=f.older_than_hours))
    return query


def queue_page(session: Session, f: QueueFilter, offset: int, limit: int) -> tuple[list[ReviewItem], int]:
    """One page of the queue, soonest SLA due first, and the total that matches."""
    query = _filtered(select(ReviewItem), f).options(joinedload(ReviewItem.claimed_by))
    items = list(session.scalars(query.order_by(ReviewItem.due_at, ReviewItem.id).offset(offset).limit(limit)))
    total = session.scalar(_filtered(select(func.count(ReviewItem.id)), f))
    return items, int(total or 0)


def topics_in_queue(session: Session) -> list[str]:
    """The topic guesses present among active items, for the filter."""
    rows = session.scalars(
        select(ReviewItem.topic_guess)
        .where(ReviewItem.status.in_(ACTIVE_STATUSES), ReviewItem.topic_guess.is_not(None))
        .distinct()
    )
    return sorted(t for t in rows if t)


def get_item(session: Session, item_id: str, for_update: bool = False) -> ReviewItem:
    """One item by id, or NotFound."""
    query = select(ReviewItem).where(ReviewItem.id == item_id)
    if for_update:
        query = query.with_for_update()
    item = session.scalar(query)
    if item is None:
        raise NotFound("review item", item_id)
    return item


def signature_of(session: Session, item: ReviewItem) -> Signature | None:
    """The signature on an item's answer, if signed."""
    return session.get(Signature, item.signature_id) if item.signature_id else None


def _require_claimant(item: ReviewItem, user: StaffUser) -> None:
    if item.claimed_by_id is not None and item.claimed_by_id != user.id:
        name = item.claimed_by.display_name if item.claimed_by else "another reviewer"
        raise Conflict(strings.CLAIMED_BY_OTHER.format(name=name))


def claim(session: Session, item: ReviewItem, user: StaffUser) -> None:
    """Take an open item: from now on others see who works it."""
    transition(session, REVIEW_WORKFLOW, item, "claim", actor_of(user))
    item.claimed_by_id, item.claimed_at = user.id, utcnow()


def release(session: Session, item: ReviewItem, user: StaffUser) -> None:
    """Put a claimed item back in the queue."""
    _require_claimant(item, user)
    transition(session, REVIEW_WORKFLOW, item, "release", actor_of(user))
    item.claimed_by_id = item.claimed_at = None


def save_answer(session: Session, item: ReviewItem, user: StaffUser, text: str) -> None:
    """Write or edit the draft answer (claims the item if it was open)."""
    text = text.strip()
    if not text:
        raise InvalidInput(strings.ANSWER_REQUIRED)
    if len(text) > MAX_ANSWER_CHARS:
        raise InvalidInput(strings.TEXT_TOO_LONG.format(limit=MAX_ANSWER_CHARS))
    if item.status is ReviewStatus.OPEN:
        claim(session, item, user)
    _require_claimant(item, user)
    transition(session, REVIEW_WORKFLOW, item, "answer", actor_of(user))
    item.answer_text, item.answered_by_id, item.answered_at = text, user.id, utcnow()
    item.signature_id = None  # any edit voids an earlier signature


def approve(session: Session, item: ReviewItem, user: StaffUser, password: str) -> Signature:
    """Sign the draft as a medical response: password re-entered, bound to this exact text."""
    _require_claimant(item, user)
    if item.status is not ReviewStatus.ANSWERED or not item.answer_text:
        raise Conflict(strings.TRANSITION_REFUSED.format(action="approve", state=item.status.value))
    signature = esign.sign(
        session, user, password, APPROVAL_MEANING, "review_item", item.id, item.answer_text, SIGNATURE_PREFIX
    )
    transition(session, REVIEW_WORKFLOW, item, "approve", actor_of(user), reason=signature.reference)
    item.signature_id, item.approved_at = signature.id, signature.signed_at
    return signature


def return_answer(session: Session, item: ReviewItem, user: StaffUser, reason: str) -> None:
    """Send a draft back for rework, saying why."""
    if not reason.strip():
        raise InvalidInput(strings.REASON_REQUIRED)
    transition(session, REVIEW_WORKFLOW, item, "return", actor_of(user), reason=reason.strip()[:500])


def close(session: Session, item: ReviewItem, user: StaffUser, reason: CloseReason, note: str = "") -> None:
    """Close without an answer: duplicate, not a medical question, or spam."""
    transition(
        session, REVIEW_WORKFLOW, item, "close", actor_of(user), reason=f"{reason.value}: {note.strip()}"[:500]
    )
    item.close_reason, item.closed_at = reason, utcnow()


def escalate(session: Session, item: ReviewItem, actor: Actor, now: dt.datetime) -> None:
    """Flag an item whose SLA has passed (not a state: it keeps its place in the workflow)."""
    item.escalated_at = now
    audit.record(
        session, actor, "review_item.escalated", "review_item", item.id, reason=f"due {item.due_at.isoformat()}"
    )


def breached(session: Session, now: dt.datetime, limit: int = 500) -> list[ReviewItem]:
    """Active items past their due time that have not been escalated yet."""
    return list(
        session.scalars(
            select(ReviewItem)
            .where(
                ReviewItem.status.in_(ACTIVE_STATUSES),
                ReviewItem.due_at <= now,
                ReviewItem.escalated_at.is_(None),
            )
            .order_by(ReviewItem.due_at)
            .limit(limit)
        )
    )


def approved_answers(session: Session, conversation_id: str) -> list[tuple[ReviewItem, Signature]]:
    """A conversation's approved reviewer answers whose signature still covers their text, in order."""
    rows = session.execute(
        select(ReviewItem, Signature)
        .join(Signature, Signature.id == ReviewItem.signature_id)
        .where(ReviewItem.conversation_id == conversation_id, ReviewItem.status == ReviewStatus.APPROVED)
        .order_by(ReviewItem.approved_at)
    ).all()
    return [(item, sig) for item, sig in rows if esign.is_valid(sig, item.answer_text)]
