"""The bot's suggestion after an answer: the profile's next best item, shown by its approved title only.

A suggestion is two replies, each traceable like any other: the approved lead-in (system item
`suggestion_intro`), then the suggested item by its approved title, with that item's id, approval code and
version. At most one per answer; never an item already shown in the conversation (answered or suggested) nor
the one just answered, and none at all if the lead-in is not servable. Only servable items are suggested
(`next_best_content` reads the live library, which drops expired and withdrawn items).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.content.service import ApprovedContent
from api.conversations.models import Conversation, Exchange, Reply
from api.hcp_profiles.next_best import next_best_content
from content_library import ANSWER_TOPICS, ContentItem, Kind

log = logging.getLogger(__name__)

INTRO_TOPIC = "suggestion_intro"


def shown_in(session: Session, conversation_id: str) -> set[str]:
    """The ids of every item already shown in a conversation (answers and suggestions alike)."""
    return set(
        session.scalars(
            select(Reply.content_id)
            .join(Exchange, Exchange.id == Reply.exchange_id)
            .where(Exchange.conversation_id == conversation_id)
        )
    )


def as_title(item: ContentItem) -> ContentItem:
    """The item as a suggestion shows it: its approved title as the text, with its own traceability."""
    return replace(item, body=item.title, examples=())


def suggestion(
    session: Session, content: ApprovedContent, conversation: Conversation, answered: Sequence[ContentItem]
) -> tuple[ContentItem, ...]:
    """The lead-in and the suggested item's title after the `answered` items, or () when there is none."""
    profile = conversation.profile
    # A segment starts with a specialty: an HCP who has not said theirs gets no suggestion (and the anonymous
    # turn, most of the traffic, skips the peer ranking altogether).
    if profile.specialty is None or profile.erased_at is not None:
        return ()
    if not any(item.kind is Kind.ANSWER for item in answered):
        return ()
    intro = content.system(INTRO_TOPIC)
    if intro is None:
        return ()
    shown = shown_in(session, conversation.id) | {item.id for item in answered}
    ranked = next_best_content(session, content.library, profile, limit=len(ANSWER_TOPICS))
    best = next((item for item in ranked if item.id not in shown), None)
    return (intro, as_title(best)) if best is not None else ()


def suggestion_safely(
    session: Session, content: ApprovedContent, conversation: Conversation, answered: Sequence[ContentItem]
) -> tuple[ContentItem, ...]:
    """`suggestion` for the chat turn: a suggestion is an extra and must never cost the answer itself."""
    try:
        with session.begin_nested():  # read-only; the savepoint keeps a failed query from aborting the turn
            return suggestion(session, content, conversation, answered)
    except Exception:  # the answer stands without a suggestion; the cause is logged
        log.exception("no suggestion for conversation %s", conversation.id)
        return ()
