"""Who may read or write a conversation: the holder of its secret, or staff whose role allows it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from starlette.concurrency import run_in_threadpool

from api import strings
from api.auth.roles import TRANSCRIPT_ROLES, Role
from api.conversations import service
from api.conversations.models import Conversation
from api.deps import SessionDep, optional_staff
from api.errors import Forbidden, Unauthenticated

SECRET_HEADER = "X-Conversation-Secret"


class ConversationAccess:
    """The conversation's own secret, or (if `roles` is not empty) a staff session with one of `roles`."""

    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles)

    async def __call__(
        self,
        conversation_id: str,
        request: Request,
        session: SessionDep,
        x_conversation_secret: Annotated[str | None, Header(include_in_schema=True)] = None,
    ) -> Conversation:
        conversation = await run_in_threadpool(service.get_conversation, session, conversation_id)
        if service.secret_matches(conversation, x_conversation_secret):
            return conversation
        staff = await run_in_threadpool(optional_staff, request) if self.roles else None
        if staff is not None and staff.user.has_any(self.roles):
            return conversation
        if staff is not None or x_conversation_secret:
            raise Forbidden(strings.CONVERSATION_SECRET_REQUIRED)
        raise Unauthenticated(strings.CONVERSATION_SECRET_REQUIRED)

    def __repr__(self) -> str:
        return f"ConversationAccess({', '.join(sorted(self.roles)) or 'secret only'})"


# The HCP (by secret) or staff allowed to read transcripts.
TranscriptReader = Annotated[Conversation, Depends(ConversationAccess(*TRANSCRIPT_ROLES))]
# The HCP alone: only the widget holding the secret writes to or polls its conversation.
ConversationHolder = Annotated[Conversation, Depends(ConversationAccess())]
