"""The chat's AE follow-up, case side: which question comes next, what an HCP's answer says, and how it
updates the case. One small rule per question; the words they look for live in followup_vocab.yml."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.ae_cases.changes import change_field
from api.ae_cases.models import (
    AE_CASE_WORKFLOW,
    AeCase,
    AeCaseFollowUp,
    AeCaseStatus,
    AgeGroup,
    ContactChannel,
    FollowUpOutcome,
    FollowUpQuestion,
    Qualification,
    Sex,
)
from api.audit import service as audit
from api.audit.service import HCP, Actor
from api.conversations.models import Exchange
from api.workflow import transition
from compliance import Assessment, PiiType

VOCAB_FILE = Path(__file__).with_name("followup_vocab.yml")
CHAT_ACTOR = Actor(None, "system:chat")
# The questions for missing criteria, in the order they are asked.
CRITERION_QUESTIONS = {
    "patient": FollowUpQuestion.PATIENT,
    "reporter": FollowUpQuestion.REPORTER,
    "product": FollowUpQuestion.PRODUCT,
    "event": FollowUpQuestion.EVENT,
}
# A short decline ("no, sorry", "prefer not to say, thanks") may carry this many extra words.
DECLINE_EXTRA_WORDS = 3
# Ages (E2B D.2.3 boundaries, in years) and the words that state an age in a sentence.
AGE = re.compile(r"\b(\d{1,3})\s*(?:-\s*)?(?:years?|yrs?|y/?o\b|year-old)", re.IGNORECASE)
AGED = re.compile(r"\baged?\s+(\d{1,3})\b", re.IGNORECASE)
ADULT_FROM, ELDERLY_FROM, ADOLESCENT_FROM, CHILD_FROM = 18, 65, 12, 2
# Case fields that a follow-up extends rather than replaces.
LIST_FIELDS = ("products", "events", "special_situations", "seriousness")


@dataclass(frozen=True)
class Vocab:
    """The follow-up's word lists, read once from followup_vocab.yml."""

    decline: tuple[str, ...]
    consent_yes: tuple[str, ...]
    consent_no: tuple[str, ...]
    channel: dict[str, tuple[str, ...]]
    age_group: dict[str, tuple[str, ...]]
    sex: dict[str, tuple[str, ...]]
    patient_other: tuple[str, ...]
    qualification: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    """The word lists (loaded on first use, not at import)."""
    raw: dict[str, Any] = yaml.safe_load(VOCAB_FILE.read_text(encoding="utf-8"))

    def words(values: Iterable[str]) -> tuple[str, ...]:
        return tuple(str(v).lower() for v in values)

    def groups(name: str) -> dict[str, tuple[str, ...]]:
        return {key: words(values) for key, values in raw[name].items()}

    return Vocab(
        decline=words(raw["decline"]),
        consent_yes=words(raw["consent_yes"]),
        consent_no=words(raw["consent_no"]),
        channel=groups("channel"),
        age_group=groups("age_group"),
        sex=groups("sex"),
        patient_other=words(raw["patient_other"]),
        qualification=groups("qualification"),
    )


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, punctuation as spaces, single spaces."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    return " ".join(re.sub(r"[^\w'/@.+-]+|(?<!\w)[.'-]|[.'-](?!\w)", " ", text).split())


def _has(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", text) is not None


def _longest(text: str, groups: dict[str, tuple[str, ...]]) -> str | None:
    """The group whose longest phrase occurs in the text (longest wins: 'physician assistant' over 'physician')."""
    best: tuple[int, str] | None = None
    for key, phrases in groups.items():
        for phrase in phrases:
            if _has(text, phrase) and (best is None or len(phrase) > best[0]):
                best = (len(phrase), key)
    return best[1] if best else None


def _starts_with(text: str, phrases: Iterable[str]) -> str | None:
    """The longest phrase the text starts with."""
    found = [p for p in phrases if text == p or text.startswith(p + " ")]
    return max(found, key=len, default=None)


def is_decline(text: str) -> bool:
    """A short refusal: the whole answer is a decline phrase, perhaps with a few polite words."""
    norm = normalise(text)
    phrase = _starts_with(norm, vocab().decline)
    return phrase is not None and len(norm.split()) <= len(phrase.split()) + DECLINE_EXTRA_WORDS


def qualification_in(text: str) -> Qualification | None:
    """The reporter's qualification a text states, if any."""
    found = _longest(normalise(text), vocab().qualification)
    return Qualification(found) if found else None


def _age_group(years: int) -> AgeGroup:
    if years >= ELDERLY_FROM:
        return AgeGroup.ELDERLY
    if years >= ADULT_FROM:
        return AgeGroup.ADULT
    if years >= ADOLESCENT_FROM:
        return AgeGroup.ADOLESCENT
    if years >= CHILD_FROM:
        return AgeGroup.CHILD
    return AgeGroup.INFANT


def _pii(assessment: Assessment) -> set[PiiType]:
    return {span.type for span in assessment.pii}


@dataclass(frozen=True)
class Answer:
    """What an HCP's message says in answer to one question; outcome None: it is not an answer."""

    outcome: FollowUpOutcome | None
    changes: dict[str, Any] = field(default_factory=dict)


NOT_AN_ANSWER = Answer(None)
DECLINED = Answer(FollowUpOutcome.DECLINED)


def _patient(text: str, assessment: Assessment) -> Answer:
    norm, words = normalise(text), vocab()
    changes: dict[str, Any] = {}
    age = AGE.search(text) or AGED.search(text)
    group = _age_group(int(age.group(1))) if age else None
    named_group = _longest(norm, words.age_group)
    group = group or (AgeGroup(named_group) if named_group else None)
    if group is not None:
        changes["patient_age_group"] = group
    sex = _longest(norm, words.sex)
    if sex is not None:
        changes["patient_sex"] = Sex(sex)
    identified = bool(changes) or bool(_pii(assessment) & {PiiType.PERSON, PiiType.AGE, PiiType.DATE})
    identified = identified or any(_has(norm, w) for w in words.patient_other)
    if identified:
        return Answer(FollowUpOutcome.ANSWERED, {"patient_identified": True, **changes})
    return DECLINED if is_decline(text) else NOT_AN_ANSWER


def _reporter(text: str, assessment: Assessment) -> Answer:
    qualification = qualification_in(text)
    named = bool(_pii(assessment) & {PiiType.PERSON, PiiType.NPI})
    if qualification is not None or named:
        changes: dict[str, Any] = {"reporter_identified": True}
        if qualification is not None:
            changes["reporter_qualification"] = qualification
        return Answer(FollowUpOutcome.ANSWERED, changes)
    return DECLINED if is_decline(text) else NOT_AN_ANSWER


def _report_facts(assessment: Assessment) -> dict[str, Any]:
    """What the answer itself reports (events, situations, seriousness, products): the case takes all of it."""
    facts: dict[str, Any] = {
        "events": list(assessment.events),
        "special_situations": [s.value for s in assessment.special_situations],
        "seriousness": list(assessment.seriousness),
        "products": list(assessment.products),
    }
    return {name: values for name, values in facts.items() if values}


def _product(text: str, assessment: Assessment) -> Answer:
    if assessment.products:
        return Answer(FollowUpOutcome.ANSWERED, {"product_identified": True, **_report_facts(assessment)})
    return DECLINED if is_decline(text) else NOT_AN_ANSWER


def _event(text: str, assessment: Assessment) -> Answer:
    if assessment.events or assessment.special_situations:
        return Answer(FollowUpOutcome.ANSWERED, {"event_identified": True, **_report_facts(assessment)})
    return DECLINED if is_decline(text) else NOT_AN_ANSWER


def _channel_of(text: str, assessment: Assessment) -> ContactChannel | None:
    pii = _pii(assessment)
    if PiiType.EMAIL in pii:
        return ContactChannel.EMAIL
    if PiiType.PHONE in pii:
        return ContactChannel.PHONE
    named = _longest(normalise(text), vocab().channel)
    return ContactChannel(named) if named else None


def _consent(text: str, assessment: Assessment) -> Answer:
    words = vocab()
    norm = normalise(text)
    yes, no = _starts_with(norm, words.consent_yes), _starts_with(norm, words.consent_no)
    channel = _channel_of(text, assessment)
    if no is not None and (yes is None or len(no) > len(yes)):
        return Answer(FollowUpOutcome.ANSWERED, {"contact_consent": False})
    if yes is not None or (channel is not None and bool(_pii(assessment) & {PiiType.EMAIL, PiiType.PHONE})):
        changes: dict[str, Any] = {"contact_consent": True}
        if channel is not None:
            changes["contact_channel"] = channel
        return Answer(FollowUpOutcome.ANSWERED, changes)
    return Answer(FollowUpOutcome.DECLINED, {"contact_consent": False}) if is_decline(text) else NOT_AN_ANSWER


def _channel(text: str, assessment: Assessment) -> Answer:
    channel = _channel_of(text, assessment)
    if channel is not None:
        return Answer(FollowUpOutcome.ANSWERED, {"contact_channel": channel})
    return DECLINED if is_decline(text) else NOT_AN_ANSWER


RULES: dict[FollowUpQuestion, Callable[[str, Assessment], Answer]] = {
    FollowUpQuestion.PATIENT: _patient,
    FollowUpQuestion.REPORTER: _reporter,
    FollowUpQuestion.PRODUCT: _product,
    FollowUpQuestion.EVENT: _event,
    FollowUpQuestion.CONSENT: _consent,
    FollowUpQuestion.CHANNEL: _channel,
}


def interpret(question: FollowUpQuestion, text: str, assessment: Assessment) -> Answer:
    """What the HCP's message (verbatim, read in memory only) answers to a question.

    A question of the HCP's own ("is it safe in 70 year old patients?") is never taken for an answer."""
    if text.rstrip().endswith("?"):
        return NOT_AN_ANSWER
    return RULES[question](text, assessment)


def next_question(case: AeCase) -> FollowUpQuestion | None:
    """The next question to ask: each missing criterion once, then consent, then a contact channel."""
    asked = set(case.followup_asked or [])
    for criterion in case.missing_criteria:
        question = CRITERION_QUESTIONS[criterion]
        if question.value not in asked:
            return question
    if case.contact_consent is None and FollowUpQuestion.CONSENT.value not in asked:
        return FollowUpQuestion.CONSENT
    if case.contact_consent and case.contact_channel is None and FollowUpQuestion.CHANNEL.value not in asked:
        return FollowUpQuestion.CHANNEL
    return None


def pending_case(session: Session, conversation_id: str) -> AeCase | None:
    """The conversation's case whose follow-up question awaits an answer (the latest, if several)."""
    return session.scalar(
        select(AeCase)
        .where(AeCase.conversation_id == conversation_id, AeCase.followup_pending.is_not(None))
        .order_by(AeCase.created_at.desc())
        .limit(1)
        .with_for_update()
    )


def ask(session: Session, case: AeCase, question: FollowUpQuestion) -> None:
    """Record that a question is asked now and awaits the HCP's answer."""
    case.followup_pending = question
    case.followup_asked = [*(case.followup_asked or []), question.value]
    audit.record(session, CHAT_ACTOR, "ae_case.followup_asked", "ae_case", case.id, reason=question.value)


def skip(session: Session, case: AeCase, question: FollowUpQuestion, why: str) -> None:
    """A question that cannot be asked (no approved wording): never asked for this case."""
    case.followup_asked = [*(case.followup_asked or []), question.value]
    audit.record(session, CHAT_ACTOR, "ae_case.followup_skipped", "ae_case", case.id, reason=f"{question}: {why}")


def abandon(session: Session, case: AeCase, why: str) -> None:
    """Stop waiting for an answer (the HCP moved on, or a new report superseded it); the case keeps what it has."""
    question = case.followup_pending
    case.followup_pending = None
    audit.record(
        session, CHAT_ACTOR, "ae_case.followup_unanswered", "ae_case", case.id, reason=f"{question}: {why}"
    )


def apply_answer(
    session: Session, case: AeCase, question: FollowUpQuestion, answer: Answer, exchange: Exchange
) -> None:
    """Attach the answer's exchange to the case and update its fields (each change audited, from → to)."""
    assert answer.outcome is not None
    session.add(
        AeCaseFollowUp(case_id=case.id, exchange_id=exchange.id, question=question, outcome=answer.outcome)
    )
    case.followup_pending = None
    audit.record(
        session,
        HCP,
        f"ae_case.followup_{answer.outcome.value}",
        "ae_case",
        case.id,
        reason=f"{question.value}: message {exchange.sequence}",
    )
    changed = False
    for name, value in answer.changes.items():
        if name in LIST_FIELDS:
            current: list[str] = list(getattr(case, name) or [])
            value = current + [v for v in value if v not in current]
        changed = change_field(session, case, name, value, HCP, "ae_case.followup_field") or changed
    if "seriousness" in answer.changes and case.seriousness and not case.serious:
        change_field(session, case, "serious", True, HCP, "ae_case.followup_field")
    case.latest_info_at = max(case.latest_info_at, exchange.received_at)
    session.flush()
    if case.status is AeCaseStatus.FOLLOW_UP_REQUESTED:
        transition(session, AE_CASE_WORKFLOW, case, "follow_up_received", CHAT_ACTOR, reason=question.value)
    elif case.status is AeCaseStatus.SUBMITTED and changed:
        transition(session, AE_CASE_WORKFLOW, case, "reopen", CHAT_ACTOR, reason="follow-up information from chat")
