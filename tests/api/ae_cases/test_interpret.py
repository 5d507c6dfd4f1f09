"""What an HCP's message answers to each follow-up question: one small rule per question (no database)."""

from __future__ import annotations

import pytest

from api.ae_cases import followup
from api.ae_cases.models import AgeGroup, ContactChannel, FollowUpOutcome, FollowUpQuestion, Qualification, Sex
from api.moderation.service import moderate

ANSWERED, DECLINED = FollowUpOutcome.ANSWERED, FollowUpOutcome.DECLINED
Q = FollowUpQuestion


def interpret(question: FollowUpQuestion, text: str) -> followup.Answer:
    return followup.interpret(question, text, moderate(text))


@pytest.mark.parametrize(
    ("text", "group", "sex"),
    [
        ("She is 54 years old, female", AgeGroup.ADULT, Sex.FEMALE),
        ("a 70-year-old man", AgeGroup.ELDERLY, Sex.MALE),
        ("teenager, a boy", AgeGroup.ADOLESCENT, Sex.MALE),
        ("aged 8", AgeGroup.CHILD, None),
        ("an elderly lady", AgeGroup.ELDERLY, Sex.FEMALE),
        ("female", None, Sex.FEMALE),
    ],
)
def test_patient_details_make_the_patient_identifiable(text: str, group: AgeGroup | None, sex: Sex | None) -> None:
    answer = interpret(Q.PATIENT, text)
    assert answer.outcome is ANSWERED
    assert answer.changes["patient_identified"] is True
    assert answer.changes.get("patient_age_group") == group
    assert answer.changes.get("patient_sex") == sex


def test_initials_identify_the_patient_but_never_reach_the_case() -> None:
    answer = interpret(Q.PATIENT, "initials J.D.")
    assert answer.outcome is ANSWERED and answer.changes == {"patient_identified": True}


@pytest.mark.parametrize(
    "text", ["no", "No.", "prefer not to say", "I'd rather not", "not sure, sorry", "Don't know", "n/a"]
)
def test_short_refusals_are_declines(text: str) -> None:
    assert interpret(Q.PATIENT, text).outcome is DECLINED
    assert interpret(Q.CHANNEL, text).outcome is DECLINED


def test_not_knowing_a_detail_is_a_decline_not_an_identifier() -> None:
    assert interpret(Q.PATIENT, "I don't know her age").outcome is DECLINED


@pytest.mark.parametrize(
    "text",
    [
        "how should the pens be stored?",
        "is there no dose adjustment for the kidneys?",
        "is it safe in 70 year old patients?",
        "thanks",
    ],
)
def test_other_messages_are_not_answers(text: str) -> None:
    assert interpret(Q.PATIENT, text).outcome is None


@pytest.mark.parametrize(
    ("text", "consent", "channel"),
    [
        ("yes", True, None),
        ("Yes please, by email", True, ContactChannel.EMAIL),
        ("sure, call me on 555-123-4567", True, ContactChannel.PHONE),
        ("no problem", True, None),
        ("No, please do not contact me", False, None),
        ("no", False, None),
    ],
)
def test_consent(text: str, consent: bool, channel: ContactChannel | None) -> None:
    answer = interpret(Q.CONSENT, text)
    assert answer.outcome is ANSWERED
    assert answer.changes["contact_consent"] is consent
    assert answer.changes.get("contact_channel") == channel


def test_an_address_alone_is_consent_with_its_channel() -> None:
    answer = interpret(Q.CONSENT, "jane.doe@clinic.example")
    assert answer.changes == {"contact_consent": True, "contact_channel": ContactChannel.EMAIL}


@pytest.mark.parametrize(
    ("text", "qualification"),
    [
        ("I'm a dermatologist", Qualification.PHYSICIAN),
        ("physician assistant", Qualification.OTHER_HCP),
        ("I am the pharmacist", Qualification.PHARMACIST),
        ("nurse", Qualification.OTHER_HCP),
    ],
)
def test_the_reporters_qualification(text: str, qualification: Qualification) -> None:
    answer = interpret(Q.REPORTER, text)
    assert answer.outcome is ANSWERED
    assert answer.changes == {"reporter_identified": True, "reporter_qualification": qualification}


def test_the_product_and_event_answers_bring_what_they_report() -> None:
    product = interpret(Q.PRODUCT, "Quelvanti, and she got hives too")
    assert product.changes["product_identified"] is True
    assert "Quelvanti" in product.changes["products"] and "urticaria" in product.changes["events"]
    event = interpret(Q.EVENT, "she was hospitalised with pneumonia")
    assert event.changes["event_identified"] is True and "hospitalisation" in event.changes["seriousness"]
    assert interpret(Q.PRODUCT, "prefer not to say").outcome is DECLINED
