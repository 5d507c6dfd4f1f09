"""In the chat: an AE report that lacks minimum criteria is followed by approved questions for them, then for
consent to be contacted and a channel; the HCP's answers are moderated, kept verbatim for PV only, and update
the case; a decline leaves the case as it was; anything else takes its normal way."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.ae_cases.models import (
    AeCase,
    AeCaseFollowUp,
    AeCaseStatus,
    AgeGroup,
    ContactChannel,
    FollowUpOutcome,
    Sex,
)
from api.auth.roles import Role
from api.conversations.models import Exchange, Route
from api.db import session_factory
from api.settings import Settings
from api.verbatim import service as verbatim
from api.verbatim.models import VerbatimText
from tests.api.ae_cases.conftest import NO_PATIENT, VALID_REPORT, Chat, actions, case_of, load, topics
from tests.api.conftest import PASSWORD, make_user, sign_in

CONSENT, CHANNEL, COMPLETE = "ae_followup_consent", "ae_followup_channel", "ae_followup_complete"


def _exchange(settings: Settings, conversation_id: str, sequence: int) -> Exchange:
    with session_factory(settings.sqlalchemy_url)() as session:
        exchange: Exchange | None = session.scalar(
            select(Exchange).where(Exchange.conversation_id == conversation_id, Exchange.sequence == sequence)
        )
        assert exchange is not None
        return exchange


def test_the_bot_asks_for_what_is_missing_and_the_answers_complete_the_case(
    pv_client: TestClient, pv_settings: Settings
) -> None:
    chat = Chat(pv_client)

    reported = chat.say(NO_PATIENT)
    assert reported["route"] == Route.AE_TRIAGE
    assert topics(reported) == ["ae_acknowledgement", "ae_followup_patient"]
    case = case_of(pv_settings, chat.id)
    assert case.missing_criteria == ["patient"] and case.followup_pending == "patient"

    answered = chat.say("She is 54 years old, female")
    assert answered["route"] == Route.AE_TRIAGE
    assert topics(answered) == [CONSENT]
    case = load(pv_settings, case.id)
    assert case.is_valid_case
    assert (case.patient_age_group, case.patient_sex) == (AgeGroup.ADULT, Sex.FEMALE)

    assert topics(chat.say("yes")) == [CHANNEL]
    assert topics(chat.say("email me at jane.doe@clinic.example please")) == [COMPLETE]

    case = load(pv_settings, case.id)
    assert (case.contact_consent, case.contact_channel) == (True, ContactChannel.EMAIL)
    assert case.followup_pending is None
    assert case.followup_asked == ["patient", "consent", "channel"]
    # Stored redacted; the verbatim answer is kept for PV only, attached to the case.
    stored = _exchange(pv_settings, chat.id, 4)
    assert "jane.doe" not in stored.inbound_text and "[EMAIL]" in stored.inbound_text
    assert "54" not in _exchange(pv_settings, chat.id, 2).inbound_text
    with session_factory(pv_settings.sqlalchemy_url)() as session:
        attached = session.scalars(select(AeCaseFollowUp).where(AeCaseFollowUp.case_id == case.id)).all()
        assert [(f.question, f.outcome) for f in attached] == [
            ("patient", FollowUpOutcome.ANSWERED),
            ("consent", FollowUpOutcome.ANSWERED),
            ("channel", FollowUpOutcome.ANSWERED),
        ]
        assert verbatim.exists(session, stored.id)
        assert session.scalar(select(VerbatimText.id).where(VerbatimText.exchange_id == stored.id))
    trail = actions(pv_settings, case.id)
    assert trail[0] == "ae_case.opened"
    assert trail.count("ae_case.followup_asked") == 3 and trail.count("ae_case.followup_answered") == 3
    assert "ae_case.followup_field" in trail


def test_a_decline_leaves_the_case_as_it_was(pv_client: TestClient, pv_settings: Settings) -> None:
    chat = Chat(pv_client)
    chat.say(NO_PATIENT)

    declined = chat.say("prefer not to say")
    assert topics(declined) == [CONSENT]
    assert topics(chat.say("No, thank you")) == [COMPLETE]

    case = case_of(pv_settings, chat.id)
    assert case.missing_criteria == ["patient"] and case.patient_age_group is None
    assert case.contact_consent is False and case.followup_pending is None
    with session_factory(pv_settings.sqlalchemy_url)() as session:
        outcomes = session.scalars(select(AeCaseFollowUp.outcome).where(AeCaseFollowUp.case_id == case.id)).all()
    assert outcomes == [FollowUpOutcome.DECLINED, FollowUpOutcome.ANSWERED]
    assert "ae_case.followup_declined" in actions(pv_settings, case.id)


def test_a_message_that_does_not_answer_takes_its_normal_way(pv_client: TestClient, pv_settings: Settings) -> None:
    chat = Chat(pv_client)
    chat.say(NO_PATIENT)

    other = chat.say("how should the pens be stored?")

    # Not an answer: it goes to the assistant (down in this test, so to a reviewer), and the question is dropped.
    assert other["route"] == Route.REVIEW
    case = case_of(pv_settings, chat.id)
    assert case.followup_pending is None and case.missing_criteria == ["patient"]
    assert "ae_case.followup_unanswered" in actions(pv_settings, case.id)
    with session_factory(pv_settings.sqlalchemy_url)() as session:
        assert session.scalars(select(AeCaseFollowUp)).all() == []
        assert not verbatim.exists(session, _exchange(pv_settings, chat.id, 2).id)


def test_a_valid_report_is_asked_only_for_consent_and_channel(
    pv_client: TestClient, pv_settings: Settings
) -> None:
    chat = Chat(pv_client, name="Dr. Lee", specialty="dermatology")
    assert topics(chat.say(VALID_REPORT)) == ["ae_acknowledgement", CONSENT]
    assert topics(chat.say("Yes, call me on 555-123-4567")) == [COMPLETE]
    case = case_of(pv_settings, chat.id)
    assert case.is_valid_case and case.contact_channel is ContactChannel.PHONE
    assert "555-123-4567" not in _exchange(pv_settings, chat.id, 2).inbound_text


def test_a_missing_product_is_asked_for_and_a_report_answering_it_joins_the_case(
    pv_client: TestClient, pv_settings: Settings
) -> None:
    chat = Chat(pv_client)
    assert topics(chat.say("My patient developed a rash")) == ["ae_acknowledgement", "ae_followup_product"]

    # Flagged as an AE itself, but it answers the question: no second case.
    assert topics(chat.say("Quelvanti, and she got hives too")) == [CONSENT]

    with session_factory(pv_settings.sqlalchemy_url)() as session:
        (case,) = session.scalars(select(AeCase)).all()
    assert case.product_identified and "Quelvanti" in case.products
    assert "urticaria" in case.events and "rash" in case.events


def test_a_special_situation_opens_a_case_without_a_reaction(pv_client: TestClient, pv_settings: Settings) -> None:
    chat = Chat(pv_client)
    body = chat.say("I took over a pregnant woman on Quelvanti")
    assert body["route"] == Route.AE_TRIAGE
    case = case_of(pv_settings, chat.id)
    assert case.special_situations == ["pregnancy"] and case.events == []
    assert case.is_valid_case


def test_a_new_report_while_a_question_is_pending_opens_its_own_case(
    pv_client: TestClient, pv_settings: Settings
) -> None:
    chat = Chat(pv_client)
    chat.say(NO_PATIENT)
    second = chat.say("Another patient had a seizure after Quelvanti last week")
    assert topics(second)[0] == "ae_acknowledgement"
    with session_factory(pv_settings.sqlalchemy_url)() as session:
        first, latest = session.scalars(select(AeCase).order_by(AeCase.created_at)).all()
    assert first.followup_pending is None and "ae_case.followup_unanswered" in actions(pv_settings, first.id)
    assert latest.followup_pending is not None


def test_an_answer_after_submission_reopens_the_case_for_a_follow_up_version(
    pv_client: TestClient, pv_settings: Settings
) -> None:
    chat = Chat(pv_client)
    assert topics(chat.say(VALID_REPORT)) == ["ae_acknowledgement", CONSENT]
    case = case_of(pv_settings, chat.id)
    user = make_user(pv_settings, Role.PV_SPECIALIST)
    csrf = {"X-CSRF-Token": sign_in(pv_client, user)}
    assert pv_client.post(f"/api/v1/ae-cases/{case.id}/ready", headers=csrf).status_code == 200
    submitted = pv_client.post(f"/api/v1/ae-cases/{case.id}/submit", json={"password": PASSWORD}, headers=csrf)
    assert submitted.json()["status"] == "submitted"

    assert topics(chat.say("yes, by phone")) == [COMPLETE]

    reopened = load(pv_settings, case.id)
    assert reopened.status is AeCaseStatus.IN_TRIAGE and reopened.contact_consent is True
    assert reopened.version == 1  # the next submission is version 2: a follow-up with the same case number
    assert actions(pv_settings, case.id)[-1] == "ae_case.reopen"
