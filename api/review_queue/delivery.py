"""Getting a signed reviewer answer to the HCP: into the open chat (the widget polls), else by e-mail."""

from __future__ import annotations

from sqlalchemy.orm import Session

from api.conversations import service as conversations
from api.db import utcnow
from api.esign.models import Signature
from api.review_queue.models import ReviewItem
from api.review_queue.service import approved_answers


def poll(session: Session, conversation_id: str) -> list[tuple[ReviewItem, Signature]]:
    """The widget's poll: marks the chat open and the answers it now shows as delivered in chat."""
    conversations.mark_seen(session, conversation_id)
    pairs = approved_answers(session, conversation_id)
    now = utcnow()
    for item, _ in pairs:
        if item.delivered_at is None:
            item.delivered_at, item.delivery_channel = now, "chat"
    return pairs
