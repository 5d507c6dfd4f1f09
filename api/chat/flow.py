"""The chat turn: moderate, record, then answer with approved content only.

Every message passes the compliance layer before anything else sees it; only its redacted text is
stored or sent to Rasa. Compliance routes (AE, off-label, abuse, failed-closed hold) are answered with
approved system messages and recorded atomically with their case records; the rest go to Rasa, after
the message is committed so that an outage loses nothing.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from dataclasses import replace

from sqlalchemy.orm import Session

from api import strings
from api.ae_cases.service import open_case
from api.assistant.rasa_client import AssistantUnavailable
from api.chat import ae_followup
from api.chat.outcomes import Outcome, compliance_outcome, outcome_from_turn, unavailable_outcome
from api.content.service import ApprovedContent
from api.conversations import service
from api.conversations.models import Conversation, Exchange, ExchangeStatus, Route
from api.errors import InvalidInput
from api.hcp_profiles import engagement, suggestion
from api.jobs import PendingJobs
from api.logging_config import current_request_id
from api.metrics.definitions import observe_chat_turn
from api.moderation.service import ModerationContext, moderate, reactive_topic
from api.review_queue import service as review_queue
from api.review_queue.models import ReviewKind
from api.review_queue.tasks import CREATE_REVIEW_ITEM
from api.runtime import Runtime
from api.verbatim import service as verbatim
from compliance import Assessment, PiiType

log = logging.getLogger(__name__)

# Requests a person follows up; contact details the HCP gave with one are kept (verbatim store only, never
# sent to Rasa, which sees the redacted text) so the rep, MSL or samples team can reach them.
FOLLOW_UP_TOPICS = frozenset(
    {"rep_or_msl_request", "samples", "medical_information_contact", "patient_support", "copay", "ordering"}
)
CONTACT_DETAILS = frozenset({PiiType.PHONE, PiiType.EMAIL, PiiType.NPI, PiiType.PERSON, PiiType.ADDRESS})
COMPLIANCE_ROUTES = {"ae_triage": Route.AE_TRIAGE, "off_label": Route.OFF_LABEL, "declined": Route.DECLINED}
# The longest text the over-limit safety check reads (the body cap bounds it anyway).
MAX_SAFETY_CHECK_CHARS = 20000


# Code points that show nothing on their own: a message made only of these is blank (zero-width spaces,
# control and format characters, unassigned or private code points, lone combining marks, fillers).
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
BLANK_LETTERS = frozenset("\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0")


def _shows_something(char: str) -> bool:
    return not (char.isspace() or char in BLANK_LETTERS or unicodedata.category(char) in INVISIBLE_CATEGORIES)


def _validated(raw_text: str, max_chars: int) -> str:
    """The text as sent, less control characters (PostgreSQL cannot store NUL); refused if it shows nothing."""
    text = CONTROL_CHARACTERS.sub("", raw_text).strip()
    if not any(_shows_something(char) for char in text):
        raise InvalidInput(strings.BLANK_TEXT)
    if len(text) > max_chars:
        raise InvalidInput(strings.TEXT_TOO_LONG.format(limit=max_chars))
    return text


def safety_relevant(raw_text: str, context: ModerationContext) -> bool:
    """Whether a message may be an AE report or special situation (or could not be checked): never refused."""
    assessment = moderate(raw_text[:MAX_SAFETY_CHECK_CHARS], context)
    return assessment.failed_closed or assessment.adverse_event or bool(assessment.special_situations)


def _ask_assistant(runtime: Runtime, conversation_id: str, redacted_text: str) -> Outcome:
    try:
        turn = runtime.assistant.send(conversation_id, redacted_text, request_id=current_request_id())
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
        verbatim.keep(session, runtime.settings, exchange.id, original_text)
        review_queue.open_now(session, exchange, ReviewKind.COMPLIANCE_HOLD, runtime.settings)
        return compliance_outcome(runtime.content, Route.REVIEW, "review_followup", "compliance failed closed")
    if route == "ae_triage":
        verbatim.keep(session, runtime.settings, exchange.id, original_text)
        case = open_case(session, exchange, conversation, assessment)
        # The approved acknowledgement, then the first question for what the case still lacks.
        return ae_followup.acknowledge(session, runtime.content, case)
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


# One other medicine and an interaction asked: the partner is the brand's product ("any interaction with
# ciclosporin?", "check INR more often when a patient on coumadin starts or stops this?").
_INTERACTION_ASKED = re.compile(
    r"\b(?:interact\w*|ddi|together|alongside|combin\w*|concomitant\w*|co-?administ\w*|"
    r"this (?:drug|medication|medicine|biologic|one|injection)|(?:starts?|stops?|starting|stopping) (?:it|this))\b"
)
# The other medicine as the patient's history or background: "failed methotrexate", "pt on warfarin".
_BACKGROUND_BEFORE = re.compile(
    r"\b(?:on|failed|failing|tried|after|taking|takes|took|off|stopped|stopping|switching from|coming off|"
    r"intolerant (?:of|to)|inadequate response to|history of|previously on|prior)\s+(?:[\w,]+\s+){0,3}$"
)


def about_the_product_implicitly(text: str, other_drugs: list[str]) -> bool:
    """Another medicine is named, but the question is about the brand's own product all the same: an
    interaction with the one other medicine, or every other medicine only the patient's background."""
    lower = text.lower()
    if len(other_drugs) == 1 and _INTERACTION_ASKED.search(lower):
        return True
    positions = [lower.find(name.lower()) for name in other_drugs]
    return all(p >= 0 and _BACKGROUND_BEFORE.search(lower[max(0, p - 40) : p]) for p in positions)


def only_about_the_product(
    content: ApprovedContent, conversation: Conversation, assessment: Assessment, outcome: Outcome
) -> Outcome:
    """A question about another medicine only ("metformin dose in CKD?", the product neither referred to nor
    earlier in the conversation) gets the approved out-of-scope reply: a Quelvanti answer would promote the wrong
    claim, and a review item would ask the brand's reviewers about someone else's medicine."""
    referred = assessment.product_referenced or conversation.product_mentioned
    if outcome.route not in (Route.ANSWERED, Route.REVIEW) or not assessment.other_drugs or referred:
        return outcome
    if outcome.status is ExchangeStatus.ASSISTANT_UNAVAILABLE:
        return outcome  # an outage's hold stays a hold
    if about_the_product_implicitly(assessment.redacted_text, assessment.other_drugs):
        return outcome
    reason = f"about another medicine only ({', '.join(assessment.other_drugs[:3])}); model said {outcome.reason}"
    return replace(
        compliance_outcome(content, Route.CHITCHAT, "out_of_scope", reason[:300]),
        intent=outcome.intent,
        confidence=outcome.confidence,
        assistant_ms=outcome.assistant_ms,
    )


def _keep_contact_details(
    session: Session, runtime: Runtime, exchange: Exchange, assessment: Assessment, text: str, outcome: Outcome
) -> Outcome:
    """An answered request carrying the HCP's contact details: keep them (verbatim) for the follow-up."""
    if outcome.route is not Route.ANSWERED or not any(p.type in CONTACT_DETAILS for p in assessment.pii):
        return outcome
    if not any(item.topic in FOLLOW_UP_TOPICS for item in outcome.items):
        return outcome
    verbatim.keep(session, runtime.settings, exchange.id, text)
    return replace(outcome, reason=f"{outcome.reason}; contact details kept for follow-up"[:300])


def _with_suggestion(session: Session, runtime: Runtime, conversation: Conversation, outcome: Outcome) -> Outcome:
    """An answer gains at most one next-best suggestion (issue 12); no other route ever does."""
    if outcome.route is not Route.ANSWERED:
        return outcome
    extra = suggestion.suggestion_safely(session, runtime.content, conversation, outcome.items)
    return replace(outcome, items=outcome.items + extra) if extra else outcome


def handle_message(session: Session, runtime: Runtime, conversation_id: str, raw_text: str) -> Outcome:
    """One chat turn; the message is committed before the assistant is asked anything."""
    started = time.perf_counter()
    text = _validated(raw_text, runtime.settings.max_message_chars)
    conversation = service.get_conversation(session, conversation_id)
    assessment = moderate(text, service.moderation_context(conversation))

    exchange = service.record_inbound(session, conversation_id, assessment)
    # An answer to the AE follow-up question the chat is waiting for (never sent to Rasa).
    outcome = ae_followup.answer(session, runtime, exchange, assessment, text)
    if outcome is None:
        outcome = _handle_compliance_route(session, runtime, conversation, exchange, assessment, text)
    if outcome is None:
        session.commit()
        outcome = _ask_assistant(runtime, conversation_id, assessment.redacted_text)
        outcome = only_about_the_product(runtime.content, conversation, assessment, outcome)
        outcome = _keep_contact_details(session, runtime, exchange, assessment, text, outcome)
        outcome = _with_suggestion(session, runtime, conversation, outcome)

    jobs = PendingJobs()
    replies = service.record_outcome(
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
    engagement.record_exchange_safely(session, exchange, replies)  # the HCP's engagement profile (issue 12)
    if not conversation.product_mentioned and (assessment.products or outcome.route is Route.ANSWERED):
        service.mark_product_mentioned(session, conversation_id)
    if outcome.route is Route.REVIEW and not assessment.failed_closed:
        jobs.enqueue(CREATE_REVIEW_ITEM, exchange.id)
    session.commit()
    jobs.send(runtime.celery)
    observe_chat_turn(assessment, outcome.route.value)
    return outcome
