"""HTTP endpoints of conversations: thin, the flow does the work."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.conversations import flows, service
from api.conversations.schemas import (
    ConversationCreate,
    ConversationCreated,
    ExchangeOut,
    MessageIn,
    MessageOut,
    ReplyOut,
    TranscriptOut,
)
from api.deps import RuntimeDep, SessionDep

router = APIRouter(prefix="/api/v1/conversations", tags=["conversations"])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_conversation(session: SessionDep, body: ConversationCreate | None = None) -> ConversationCreated:
    """Start a conversation (optionally with the HCP's details)."""
    conversation = service.start_conversation(session, body.hcp if body else None)
    session.commit()
    return ConversationCreated(id=conversation.id)


@router.get("/{conversation_id}")
def get_transcript(conversation_id: str, session: SessionDep) -> TranscriptOut:
    """The conversation as logged: redacted messages, routes and the approved replies shown."""
    conversation = service.get_conversation(session, conversation_id)
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
    return TranscriptOut(id=conversation.id, started_at=conversation.started_at, exchanges=exchanges)


@router.post("/{conversation_id}/messages")
def post_message(conversation_id: str, body: MessageIn, session: SessionDep, runtime: RuntimeDep) -> MessageOut:
    """Send an HCP message; the answer is approved content only."""
    outcome = flows.handle_message(session, runtime, conversation_id, body.text)
    return MessageOut(route=outcome.route, replies=[ReplyOut(**item.reply()) for item in outcome.items])
