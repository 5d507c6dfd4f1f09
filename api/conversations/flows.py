"""The chat turn: record the message, ask the assistant, record and return approved replies."""

from __future__ import annotations

import logging
import time

from sqlalchemy.orm import Session

from api.assistant.rasa_client import AssistantUnavailable
from api.conversations import service
from api.conversations.models import Route
from api.conversations.outcomes import Outcome, outcome_from_turn, unavailable_outcome
from api.errors import InvalidInput
from api.jobs import PendingJobs
from api.review_queue.tasks import CREATE_REVIEW_ITEM
from api.runtime import Runtime

log = logging.getLogger(__name__)


def _ask_assistant(runtime: Runtime, conversation_id: str, text: str) -> Outcome:
    try:
        turn = runtime.assistant.send(conversation_id, text)
    except AssistantUnavailable as exc:
        log.warning("assistant unavailable for conversation %s: %s", conversation_id, exc)
        return unavailable_outcome(runtime.content, str(exc))
    return outcome_from_turn(turn, runtime.content)


def handle_message(session: Session, runtime: Runtime, conversation_id: str, raw_text: str) -> Outcome:
    """One chat turn. The message is committed before anything else can fail."""
    started = time.perf_counter()
    text = raw_text.strip()
    if not text:
        raise InvalidInput("text must not be blank")
    if len(text) > runtime.settings.max_message_chars:
        raise InvalidInput(f"text is longer than {runtime.settings.max_message_chars} characters")

    exchange = service.record_inbound(session, conversation_id, text)
    session.commit()

    outcome = _ask_assistant(runtime, conversation_id, text)
    jobs = PendingJobs()
    service.record_outcome(session, exchange, outcome, total_ms=(time.perf_counter() - started) * 1000)
    if outcome.route is Route.REVIEW:
        jobs.enqueue(CREATE_REVIEW_ITEM, exchange.id)
    session.commit()
    jobs.send(runtime.celery)
    return outcome
