"""The HCP's endpoints: start a conversation, send messages, read the transcript, poll for reviewer answers."""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.chat import flow, turns
from api.chat.outcomes import Outcome
from api.chat.schemas import ReviewerAnswerOut, ReviewerAnswersOut, TranscriptWithAnswersOut
from api.chat.throttle import PLEASE_WAIT_RESPONSES, please_wait
from api.conversations import service
from api.conversations.access import ConversationHolder, TranscriptReader
from api.conversations.models import ExchangeStatus, Route
from api.conversations.schemas import (
    ConversationCreate,
    ConversationCreated,
    ExchangeOut,
    MessageIn,
    MessageOut,
    ReplyOut,
)
from api.deps import PUBLIC, RuntimeDep, SessionDep
from api.limits import AbuseLimitsDep, RateLimited, client_address, limit_key
from api.review_queue import delivery
from api.review_queue.service import approved_answers
from api.runtime import Runtime

router = APIRouter(prefix="/api/v1/conversations", tags=["conversations"])

# Routes whose messages open an item in the medical review queue (counted against the review-item limits).
REVIEW_ROUTES = frozenset({Route.REVIEW, Route.OFF_LABEL})


def _client_key(request: Request, runtime: Runtime) -> str:
    """The key a client's address is counted under (per-IP limits)."""
    return limit_key(client_address(request, runtime.settings.trusted_proxies))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    dependencies=[PUBLIC],
    response_model=ConversationCreated,
    responses=PLEASE_WAIT_RESPONSES,
)
def create_conversation(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    limits: AbuseLimitsDep,
    body: ConversationCreate | None = None,
) -> ConversationCreated | JSONResponse:
    """Start a conversation (optionally with the HCP's details); its secret is shown only here."""
    try:
        limits.new_conversation(_client_key(request, runtime))
    except RateLimited as refused:
        return please_wait(runtime.content, refused)
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


@router.post(
    "/{conversation_id}/messages",
    dependencies=[PUBLIC],
    response_model=MessageOut,
    responses=PLEASE_WAIT_RESPONSES,
)
async def post_message(
    conversation: ConversationHolder,
    body: MessageIn,
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    limits: AbuseLimitsDep,
) -> MessageOut | JSONResponse:
    """Send an HCP message; the answer is approved content only. One message of a conversation at a time.

    A 429 (over a limit, or the previous message still being answered) records nothing: send it again later.
    """
    conversation_id, client_key, settings = conversation.id, _client_key(request, runtime), runtime.settings
    context = service.moderation_context(conversation)
    turn = turns.Turn(limits.redis, conversation_id, hold_seconds=settings.turn_lock_seconds)
    safety: list[bool] = []

    def safety_report() -> bool:
        # A limit or a busy turn never turns away a possible adverse event: drug safety must receive every report.
        if not safety:
            safety.append(flow.safety_relevant(body.text, context))
        return safety[0]

    def answer() -> Outcome:
        outcome = flow.handle_message(session, runtime, conversation_id, body.text)
        # An assistant outage routes every message to review: that is not the HCP's doing, so it is not counted.
        if outcome.route in REVIEW_ROUTES and outcome.status is not ExchangeStatus.ASSISTANT_UNAVAILABLE:
            limits.review_item_opened(conversation_id, client_key)
        return outcome

    def answer_in_turn() -> Outcome:
        try:
            return answer()
        finally:
            turn.release()

    def admit_and_answer() -> Outcome | None:
        """The usual message in one worker thread: counted, its turn taken, answered; None if the turn is busy."""
        # End the access check's read-only transaction: a message waiting for its turn holds no connection.
        session.rollback()
        try:
            limits.message(conversation_id, client_key)
        except RateLimited:
            if not safety_report():
                raise
        return answer_in_turn() if turn.try_take() else None

    try:
        outcome = await run_in_threadpool(admit_and_answer)
        if outcome is None:
            try:
                await turn.wait(settings.turn_wait_seconds)
            except RateLimited:
                if not await run_in_threadpool(safety_report):
                    raise
                # Out of turn is safe here: compliance routes never reach Rasa and sequence numbers are atomic.
                outcome = await run_in_threadpool(answer)
            else:
                try:
                    outcome = await run_in_threadpool(answer_in_turn)
                finally:
                    await turn.release_shielded()  # if cancelled before the thread ran
    except RateLimited as refused:
        return please_wait(runtime.content, refused)
    return MessageOut(route=outcome.route, replies=[ReplyOut(**item.reply()) for item in outcome.items])


@router.get("/{conversation_id}/reviewer-answers", dependencies=[PUBLIC])
def poll_reviewer_answers(conversation: ConversationHolder, session: SessionDep) -> ReviewerAnswersOut:
    """The widget polls here while open: signed reviewer answers for this conversation (marks the chat open)."""
    pairs = delivery.poll(session, conversation.id)
    session.commit()
    return ReviewerAnswersOut(answers=[ReviewerAnswerOut.of(item, sig) for item, sig in pairs])
