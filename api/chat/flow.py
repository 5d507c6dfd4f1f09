"""The chat turn: moderate, record, then answer with approved content only.

Every message passes the compliance layer before anything else sees it; only its redacted text is
stored or sent to Rasa. Compliance routes (AE, off-label, abuse, failed-closed hold) are answered with
approved system messages and recorded atomically with their case records; the rest go to Rasa, after
the message is committed so that an outage loses nothing.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy.orm import Session

from api import strings
from api.ae_cases.service import open_case
from api.assistant.rasa_client import AssistantUnavailable
from api.chat.outcomes import Outcome, compliance_outcome, outcome_from_turn, unavailable_outcome
from api.conversations import service
from api.conversations.models import Conversation, Exchange, Route
from api.errors import InvalidInput
from api.jobs import PendingJobs
from api.moderation.service import moderate, reactive_topic
from api.review_queue import service as review_queue
from api.review_queue.models import ReviewKind
from api.review_queue.tasks import CREATE_REVIEW_ITEM
from api.runtime import Runtime
from api.verbatim import service as verbatim
from compliance import Assessment

log = logging.getLogger(__name__)

COMPLIANCE_ROUTES = {"ae_triage": Route.AE_TRIAGE, "off_label": Route.OFF_LABEL, "declined": Route.DECLINED}


def _validated(raw_text: str, max_chars: int) -> str:
    text = raw_text.strip()
    if not text:
        raise InvalidInput(strings.BLANK_TEXT)
    if len(text) > max_chars:
        raise InvalidInput(strings.TEXT_TOO_LONG.format(limit=max_chars))
    return text


def _ask_assistant(runtime: Runtime, conversation_id: str, redacted_text: str) -> Outcome:
    try:
        turn = runtime.assistant.send(conversation_id, redacted_text)
    except AssistantUnavailable as exc:
        log.warning("assistant unavailable for conversation %s: %s", conversation_id, exc)
        return unavailable_outcome(runtime.content, str(exc))
    return outcome_from_turn(turn, runtime.content)


def _handle_compliance_route(
    session: Session,
    runtime: Runtime,
    conversation: Conversation,
    exchange: Exchange,
    assessment: Assessment,
    original_text: str,
) -> Outcome | None:
    """Record the case a compliance route calls for and choose its reply; None lets the message pass."""
    route = assessment.route.value
    if assessment.failed_closed or route == "review":
        # The verbatim text goes only to its own access-controlled table; the queue shows the redacted text.
        verbatim.keep(session, exchange.id, original_text)
        review_queue.open_now(session, exchange, ReviewKind.COMPLIANCE_HOLD, runtime.settings)
        return compliance_outcome(runtime.content, Route.REVIEW, "review_followup", "compliance failed closed")
    if route == "ae_triage":
        verbatim.keep(session, exchange.id, original_text)
        open_case(session, exchange, conversation, assessment)
        return compliance_outcome(runtime.content, Route.AE_TRIAGE, "ae_acknowledgement", "possible adverse event")
    if route == "off_label":
        review_queue.open_now(session, exchange, ReviewKind.MEDICAL_INFORMATION, runtime.settings)
        return compliance_outcome(
            runtime.content,
            Route.OFF_LABEL,
            "off_label_redirect",
            "off-label request",
            answer_topic=reactive_topic(assessment),
        )
    if route == "declined":
        return compliance_outcome(runtime.content, Route.DECLINED, "declined", "abusive or hostile input")
    return None


def handle_message(session: Session, runtime: Runtime, conversation_id: str, raw_text: str) -> Outcome:
    """One chat turn; the message is committed before the assistant is asked anything."""
    started = time.perf_counter()
    text = _validated(raw_text, runtime.settings.max_message_chars)
    conversation = service.get_conversation(session, conversation_id)
    assessment = moderate(text, service.moderation_context(conversation))

    exchange = service.record_inbound(session, conversation_id, assessment)
    outcome = _handle_compliance_route(session, runtime, conversation, exchange, assessment, text)
    if outcome is None:
        session.commit()
        outcome = _ask_assistant(runtime, conversation_id, assessment.redacted_text)

    jobs = PendingJobs()
    service.record_outcome(
        session,
        exchange,
        route=outcome.route,
        status=outcome.status,
        reason=outcome.reason,
        items=outcome.items,
        intent=outcome.intent,
        confidence=outcome.confidence,
        assistant_ms=outcome.assistant_ms,
        total_ms=(time.perf_counter() - started) * 1000,
    )
    if not conversation.product_mentioned and (assessment.products or outcome.route is Route.ANSWERED):
        service.mark_product_mentioned(session, conversation_id)
    if outcome.route is Route.REVIEW and not assessment.failed_closed:
        jobs.enqueue(CREATE_REVIEW_ITEM, exchange.id)
    session.commit()
    jobs.send(runtime.celery)
    return outcome
