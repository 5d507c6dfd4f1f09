"""A Quelvanti answer never goes to a question about another medicine only (the real compliance layer decides)."""

from __future__ import annotations

import pytest

from api.chat.flow import only_about_the_product
from api.chat.outcomes import Outcome
from api.content.service import ApprovedContent
from api.conversations.models import Conversation, Route
from compliance import assess
from content_library import DEFAULT_DIRECTORY, ContentLibrary

CONTENT = ApprovedContent(ContentLibrary(DEFAULT_DIRECTORY))


def _answered(topic: str) -> Outcome:
    item = CONTENT.for_topic(topic)
    assert item is not None
    return Outcome(Route.ANSWERED, (item,), "model", intent=f"ask_{topic}", confidence=0.9)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("metformin dose in CKD stage 3?", "renal_hepatic"),
        ("Ozempic samples for my office please", "samples"),
        ("does ibuprofen interact with lisinopril", "drug_interactions"),
        ("How do I sign a patient up for the Eliquis copay card?", "copay"),
    ],
)
def test_a_question_about_another_medicine_gets_the_out_of_scope_reply(text: str, topic: str) -> None:
    outcome = only_about_the_product(CONTENT, Conversation(), assess(text), _answered(topic))
    assert outcome.route is Route.CHITCHAT
    assert [item.topic for item in outcome.items] == ["out_of_scope"]
    assert outcome.intent == f"ask_{topic}" and "another medicine" in outcome.reason


@pytest.mark.parametrize(
    "text",
    [
        "cyclosporine + QLV - do I need to check cyclo levels more often?",
        "switching from Humira to quelvarimab, do we need a fresh TB test?",
        "any issues giving methotrexate alongside it?",
        "how should the pens be stored",
    ],
)
def test_a_question_about_the_product_keeps_its_answer(text: str) -> None:
    answered = _answered("drug_interactions")
    assert only_about_the_product(CONTENT, Conversation(), assess(text), answered) is answered


def test_the_product_earlier_in_the_conversation_counts() -> None:
    text = "and with warfarin?"
    answered = _answered("drug_interactions")
    assert only_about_the_product(CONTENT, Conversation(product_mentioned=True), assess(text), answered) is (
        answered
    )
    assert only_about_the_product(CONTENT, Conversation(), assess(text), answered).route is Route.CHITCHAT


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("any interaction with ciclosporin", "drug_interactions"),
        ("pt on coumadin - do I need to check INR more often when starting this?", "drug_interactions"),
        ("Pt on warfarin. Any interaction to watch for?", "drug_interactions"),
        ("58M, failed methotrexate and cyclosporine, is he a candidate per the indication?", "indication"),
    ],
)
def test_another_medicine_as_partner_or_background_keeps_the_answer(text: str, topic: str) -> None:
    answered = _answered(topic)
    assert only_about_the_product(CONTENT, Conversation(), assess(text), answered) is answered


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("how should insulin pens be stored on a long flight", "storage"),
        ("what's the half-life of melatonin", "pharmacokinetics"),
    ],
)
def test_everyday_medicines_count_as_another_medicine(text: str, topic: str) -> None:
    outcome = only_about_the_product(CONTENT, Conversation(), assess(text), _answered(topic))
    assert outcome.route is Route.CHITCHAT


def _sent_to_review() -> Outcome:
    return Outcome(Route.REVIEW, (), "no approved answer clear enough", intent="novel_question", confidence=0.6)


@pytest.mark.parametrize("text", ["metformin eGFR cutoff for stopping", "max daily dose of ibuprofen in adults"])
def test_a_review_about_another_medicine_only_gets_the_out_of_scope_reply(text: str) -> None:
    outcome = only_about_the_product(CONTENT, Conversation(), assess(text), _sent_to_review())
    assert outcome.route is Route.CHITCHAT


@pytest.mark.parametrize(
    "text", ["what's the washout after stopping Humira?", "any data in patients who failed methotrexate?"]
)
def test_a_review_with_another_medicine_as_background_stays_a_review(text: str) -> None:
    review = _sent_to_review()
    assert only_about_the_product(CONTENT, Conversation(), assess(text), review) is review
