"""Waiting HCPs get the new item: open novel questions it answers are sent it and closed as answered by content."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.audit.service import SYSTEM
from api.content.models import ContentProposal, ContentRelease, ContentVersion
from api.content.similarity import similar_to
from api.conversations.models import Reply
from api.db import utcnow
from api.review_queue.models import ACTIVE_STATUSES, REVIEW_WORKFLOW, CloseReason, ReviewItem, ReviewKind
from api.workflow import transition

# Stricter than grouping for a proposal: a question is closed only if the item clearly answers it.
ANSWERS_THRESHOLD = 0.4


def answered_by(session: Session, proposal: ContentProposal) -> list[ReviewItem]:
    """Waiting novel questions the proposal was made from, or that closely match its motivating questions."""
    waiting = list(
        session.scalars(
            select(ReviewItem).where(
                ReviewItem.kind == ReviewKind.NOVEL_QUESTION, ReviewItem.status.in_(ACTIVE_STATUSES)
            )
        )
    )
    chosen = {item.id for item in waiting if item.id in set(proposal.review_item_ids)}
    close = similar_to(proposal.questions, [item.question_text for item in waiting], ANSWERS_THRESHOLD)
    chosen |= {waiting[i].id for i in close}
    return [item for item in waiting if item.id in chosen]


def send_to_waiting(session: Session, release: ContentRelease) -> int:
    """Reply with the live item to each waiting question it answers and close those items; returns how many."""
    proposal = session.get(ContentProposal, release.proposal_id) if release.proposal_id else None
    version = session.get(ContentVersion, proposal.version_id) if proposal and proposal.version_id else None
    if proposal is None or version is None:
        return 0
    items = answered_by(session, proposal)
    for item in items:
        position = session.scalar(select(func.count()).where(Reply.exchange_id == item.exchange_id)) or 0
        session.add(
            Reply(
                exchange_id=item.exchange_id,
                position=position,
                content_id=version.item_id,
                approval_code=version.approval_code,
                version=version.version,
                topic=version.topic,
                text=version.body,
            )
        )
        reason = f"{CloseReason.ANSWERED_BY_CONTENT.value}: {version.approval_code} {version.version}"
        transition(session, REVIEW_WORKFLOW, item, "close", SYSTEM, reason=reason)
        item.close_reason, item.closed_at = CloseReason.ANSWERED_BY_CONTENT, utcnow()
    return len(items)
