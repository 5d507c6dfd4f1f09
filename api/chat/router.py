"""The HCP's endpoints: start a conversation, send messages, read the transcript, poll for reviewer answers."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.chat import flow
from api.chat.schemas import ReviewerAnswerOut, ReviewerAnswersOut, TranscriptWithAnswersOut
from api.conversations import service
from api.conversations.access import ConversationHolder, TranscriptReader
from api.conversations.schemas import (
    ConversationCreate,
    ConversationCreated,
    ExchangeOut,
    MessageIn,
    MessageOut,
    ReplyOut,
)
from api.deps import PUBLIC, RuntimeDep, SessionDep
from api.review_queue import delivery
from api.review_queue.service import approved_answers

router = APIRouter(prefix="/api/v1/conversations", tags=["conversations"])


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[PUBLIC])
def create_conversation(session: SessionDep, body: ConversationCreate | None = None) -> ConversationCreated:
    """Start a conversation (optionally with the HCP's details); its secret is shown only here."""
    conversation, secret = service.start_conversation(session, body.hcp if body else None)
    session.commit()
    return ConversationCreated(id=conversation.id, secret=secret)


@router.get("/{conversation_id}")
def get_transcript(conversation: TranscriptReader, session: SessionDep) -> TranscriptWithAnswersOut:
    """The conversation as logged: redacted messages, routes, approved replies and reviewers' signed answers."""
    exchanges = [
        ExchangeOut(
            sequence=e.sequence,
            text=e.inbound_text,
            received_at=e.received_at,
            route=e.route,
            replies=[ReplyOut.model_validate(r) for r in e.replies],
        )
        for e in conversation.exchanges
    ]
    answers = [ReviewerAnswerOut.of(item, sig) for item, sig in approved_answers(session, conversation.id)]
    return TranscriptWithAnswersOut(
        id=conversation.id, started_at=conversation.started_at, exchanges=exchanges, reviewer_answers=answers
    )


@router.post("/{conversation_id}/messages", dependencies=[PUBLIC])
def post_message(
    conversation: ConversationHolder, body: MessageIn, session: SessionDep, runtime: RuntimeDep
) -> MessageOut:
    """Send an HCP message; the answer is approved content only."""
    outcome = flow.handle_message(session, runtime, conversation.id, body.text)
    return MessageOut(route=outcome.route, replies=[ReplyOut(**item.reply()) for item in outcome.items])


@router.get("/{conversation_id}/reviewer-answers", dependencies=[PUBLIC])
def poll_reviewer_answers(conversation: ConversationHolder, session: SessionDep) -> ReviewerAnswersOut:
    """The widget polls here while open: signed reviewer answers for this conversation (marks the chat open)."""
    pairs = delivery.poll(session, conversation.id)
    session.commit()
    return ReviewerAnswersOut(answers=[ReviewerAnswerOut.of(item, sig) for item, sig in pairs])
