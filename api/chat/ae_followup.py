"""The chat's AE follow-up: after an AE report, ask for each missing minimum criterion, then for consent to be
contacted by Drug Safety and a contact channel, with approved system items only.

The state lives on the case (`followup_pending`: the question awaiting an answer). The next HCP message is
moderated as always; if it answers the question it is attached to the case (redacted exchange, verbatim kept
for PV only) and updates it; a decline leaves the case as it is; anything else lets the message take its
normal way, and the question is not asked again. The AE path never goes to Rasa, so neither does this.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from api.ae_cases import followup
from api.ae_cases.models import AeCase, FollowUpQuestion
from api.chat.outcomes import Outcome
from api.content.service import ApprovedContent
from api.conversations.models import Exchange, Route
from api.runtime import Runtime
from api.verbatim import service as verbatim
from compliance import Assessment
from compliance import Route as ComplianceRoute
from content_library import ContentItem

ACKNOWLEDGEMENT_TOPIC = "ae_acknowledgement"
COMPLETE_TOPIC = "ae_followup_complete"
# A report that answers these questions is flagged as an AE itself: it is the answer, not a new case.
DESCRIBES_THE_REPORT = frozenset({FollowUpQuestion.PRODUCT, FollowUpQuestion.EVENT})
# Routes after which the HCP has moved on: the question is dropped and the message takes its way.
MOVED_ON = frozenset({ComplianceRoute.OFF_LABEL, ComplianceRoute.DECLINED})


def question_topic(question: FollowUpQuestion) -> str:
    """The system content topic that asks a follow-up question."""
    return f"ae_followup_{question.value}"


def _ask_next(session: Session, content: ApprovedContent, case: AeCase) -> ContentItem | None:
    """Ask the next question that has approved wording; None once there is nothing left to ask."""
    while (question := followup.next_question(case)) is not None:
        item = content.system(question_topic(question))
        if item is not None:
            followup.ask(session, case, question)
            return item
        followup.skip(session, case, question, "no approved wording is served")
    return None


def acknowledge(session: Session, content: ApprovedContent, case: AeCase) -> Outcome:
    """The reply to a new AE report: the approved acknowledgement, then the first follow-up question."""
    others = followup.pending_case(session, case.conversation_id)
    if others is not None and others.id != case.id:
        followup.abandon(session, others, f"a new report ({case.case_number}) came first")
    acknowledgement = content.system(ACKNOWLEDGEMENT_TOPIC)
    question = _ask_next(session, content, case)
    items = tuple(item for item in (acknowledgement, question) if item is not None)
    return Outcome(Route.AE_TRIAGE, items, "possible adverse event")


def answer(
    session: Session, runtime: Runtime, exchange: Exchange, assessment: Assessment, original_text: str
) -> Outcome | None:
    """The follow-up reply if this message answers (or declines) the pending question; else None."""
    case = followup.pending_case(session, exchange.conversation_id)
    if case is None or case.followup_pending is None:
        return None
    question = case.followup_pending
    route = assessment.route
    if assessment.failed_closed or route is ComplianceRoute.REVIEW:
        return None  # held for a human, unread: the question stays open
    if route is ComplianceRoute.AE_TRIAGE and question not in DESCRIBES_THE_REPORT:
        return None  # a report of its own: it opens its own case (PV merges duplicates)
    if route in MOVED_ON:
        followup.abandon(session, case, f"message {exchange.sequence} was about something else")
        return None
    parsed = followup.interpret(question, original_text, assessment)
    if parsed.outcome is None:
        followup.abandon(session, case, f"message {exchange.sequence} did not answer it")
        return None
    verbatim.keep(session, runtime.settings, exchange.id, original_text)
    followup.apply_answer(session, case, question, parsed, exchange)
    content = runtime.content
    following = _ask_next(session, content, case) or content.system(COMPLETE_TOPIC)
    reason = f"AE follow-up for {case.case_number}: {question.value} {parsed.outcome.value}"
    return Outcome(Route.AE_TRIAGE, (following,) if following else (), reason)
