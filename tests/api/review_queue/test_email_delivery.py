"""Approved answers go by e-mail when the chat is closed and the HCP consented: signed text verbatim, once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import select, update

from api.audit.models import AuditEvent
from api.auth.models import StaffUser
from api.auth.roles import Role
from api.celery_app import celery_app, configure_celery
from api.conversations.models import Conversation
from api.db import session_factory, utcnow
from api.hcp_profiles.schemas import HcpDetails
from api.jobs import PendingJobs
from api.review_queue import delivery
from api.review_queue import service as review_queue
from api.review_queue.delivery import EMAIL_ANSWER, EmailOutcome, after_approval
from api.review_queue.models import ReviewItem, ReviewKind
from api.review_queue.tasks import email_answer, sweep_undelivered_answers
from api.settings import Settings
from content_library import ContentLibrary
from tests.api.conftest import PASSWORD, make_review_item, make_user
from tests.api.notifications.smtp_sink import SmtpSink
from tests.conftest import wait_for

HCP_EMAIL = "dr.lee@clinic.example"
CONSENTING = HcpDetails(name="Dr Lee", email=HCP_EMAIL, consent=True)
# Non-ASCII, a long line and a blank line: all must arrive exactly as signed.
ANSWER = (
    "Quelvanti may be kept at room temperature up to 30 °C (86 °F) for a single period of up to 30 days; "
    "do not return it to the refrigerator afterwards.\n\n"
    "There are no data on travel specifically; keep the pen in its original carton to protect it from light."
)


def _approve(
    settings: Settings,
    hcp: HcpDetails | None = CONSENTING,
    kind: ReviewKind = ReviewKind.NOVEL_QUESTION,
    seen_seconds_ago: float | None = None,
    send: bool = False,
) -> tuple[str, str | None, str]:
    """Claim, answer and sign an item as the approve endpoint does; returns (item id, task chosen, reference).

    The chosen task goes to the broker only with `send` (else the test runs it in-process, after any
    worker started by an earlier test could have taken it).
    """
    item_id, conversation_id = make_review_item(settings, kind=kind, hcp=hcp)
    reviewer = make_user(settings, Role.MEDICAL_REVIEWER, email=f"reviewer-{item_id[:8]}@staff.example")
    jobs = PendingJobs()
    with session_factory(settings.sqlalchemy_url)() as session:
        if seen_seconds_ago is not None:
            seen = utcnow() - dt.timedelta(seconds=seen_seconds_ago)
            session.execute(
                update(Conversation).where(Conversation.id == conversation_id).values(last_seen_at=seen)
            )
        item = review_queue.get_item(session, item_id, for_update=True)
        user = session.get(StaffUser, reviewer.id)
        assert user is not None
        review_queue.claim(session, item, user)
        review_queue.save_answer(session, item, user, ANSWER)
        signature = review_queue.approve(session, item, user, PASSWORD)
        task = after_approval(session, item, settings)
        if task is not None:
            jobs.enqueue(task, item.id)
        session.commit()
    if send:
        jobs.send(celery_app)
    return item_id, task, signature.reference


def _item(settings: Settings, item_id: str) -> ReviewItem:
    with session_factory(settings.sqlalchemy_url)() as session:
        item: ReviewItem | None = session.get(ReviewItem, item_id)
        assert item is not None
        return item


def _actions(settings: Settings, item_id: str) -> list[str]:
    with session_factory(settings.sqlalchemy_url)() as session:
        query = select(AuditEvent.action).where(AuditEvent.entity_id == item_id).order_by(AuditEvent.seq)
        return list(session.scalars(query))


def test_a_closed_chat_gets_the_signed_answer_by_email_once(
    celery_worker: None, mail_settings: Settings, smtp_sink: SmtpSink
) -> None:
    item_id, task, reference = _approve(mail_settings, seen_seconds_ago=600, send=True)
    assert task == EMAIL_ANSWER

    (received,) = smtp_sink.wait_for(1)  # sent by the real worker
    framing = ContentLibrary().system("reviewer_answer")
    assert framing is not None
    assert received.rcpt_tos == [HCP_EMAIL]
    assert received.message["Subject"] == framing.title
    assert ANSWER in received.body
    assert framing.body in received.body and framing.approval_code in received.body
    assert reference in received.body and "reviewer" in received.body
    assert "approved as a medical response" in received.body
    assert wait_for(lambda: _item(mail_settings, item_id).delivered_at is not None)
    assert _item(mail_settings, item_id).delivery_channel == "email"
    assert "review_item.delivered" in _actions(mail_settings, item_id)

    assert email_answer(item_id) == EmailOutcome.ALREADY_DELIVERED  # a redelivery of the task sends nothing
    smtp_sink.assert_quiet(1)


def test_a_medical_information_answer_is_labelled_as_a_response_to_an_unsolicited_request(
    mail_settings: Settings, smtp_sink: SmtpSink
) -> None:
    item_id, task, reference = _approve(mail_settings, kind=ReviewKind.MEDICAL_INFORMATION)
    assert task == EMAIL_ANSWER
    assert email_answer(item_id) == EmailOutcome.SENT  # run in-process: the worker path is tested above
    (received,) = smtp_sink.wait_for(1)
    label = ContentLibrary().system("unsolicited_response")
    assert label is not None
    assert received.message["Subject"] == label.title
    assert label.body in received.body and label.approval_code in received.body
    assert ANSWER in received.body and reference in received.body


@pytest.mark.parametrize("seen_seconds_ago", [0, 20])
def test_an_open_chat_shows_the_answer_itself(mail_settings: Settings, seen_seconds_ago: float) -> None:
    _item_id, task, _ = _approve(mail_settings, seen_seconds_ago=seen_seconds_ago)
    assert task is None  # the widget's next poll shows it


def test_an_answer_shown_in_chat_is_not_emailed_too(mail_settings: Settings, smtp_sink: SmtpSink) -> None:
    item_id, task, _ = _approve(mail_settings)
    assert task == EMAIL_ANSWER
    with session_factory(mail_settings.sqlalchemy_url)() as session:
        conversation_id = _item(mail_settings, item_id).conversation_id
        assert [i.id for i, _ in delivery.poll(session, conversation_id)] == [item_id]  # the HCP came back first
        session.commit()
    assert email_answer(item_id) == EmailOutcome.ALREADY_DELIVERED
    assert _item(mail_settings, item_id).delivery_channel == "chat"
    smtp_sink.assert_quiet(0, seconds=0.2)


@pytest.mark.parametrize(
    "hcp",
    [HcpDetails(name="Dr Lee", email=HCP_EMAIL, consent=False), HcpDetails(name="Dr Lee", consent=True), None],
    ids=["no-consent", "no-email", "anonymous"],
)
def test_no_email_without_an_address_and_consent(
    mail_settings: Settings, smtp_sink: SmtpSink, hcp: HcpDetails | None
) -> None:
    item_id, task, _ = _approve(mail_settings, hcp=hcp)
    assert task is None
    assert email_answer(item_id) == EmailOutcome.NO_CONSENT  # the task checks again
    assert _item(mail_settings, item_id).delivered_at is None
    smtp_sink.assert_quiet(0, seconds=0.2)


def test_a_text_edited_after_signing_is_refused(mail_settings: Settings, smtp_sink: SmtpSink) -> None:
    item_id, task, _ = _approve(mail_settings)
    assert task == EMAIL_ANSWER
    with session_factory(mail_settings.sqlalchemy_url)() as session:
        session.execute(
            update(ReviewItem).where(ReviewItem.id == item_id).values(answer_text=ANSWER + " Also 200 mg.")
        )
        session.commit()
    assert email_answer(item_id) == EmailOutcome.SIGNATURE_INVALID
    assert _item(mail_settings, item_id).delivered_at is None
    assert "review_item.delivery_refused" in _actions(mail_settings, item_id)
    smtp_sink.assert_quiet(0, seconds=0.2)


def test_without_smtp_host_the_answer_stays_undelivered(mail_settings: Settings, smtp_sink: SmtpSink) -> None:
    item_id, task, _ = _approve(mail_settings)
    assert task == EMAIL_ANSWER
    configure_celery(mail_settings.model_copy(update={"smtp_host": None}))
    assert email_answer(item_id) == EmailOutcome.MAIL_NOT_CONFIGURED
    assert _item(mail_settings, item_id).delivered_at is None  # the chat still shows it on the next visit
    smtp_sink.assert_quiet(0, seconds=0.2)


def test_the_sweep_emails_answers_that_nothing_delivered(
    mail_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    lost, task, _ = _approve(mail_settings)  # approved, but its e-mail task never reached the broker
    assert task == EMAIL_ANSWER
    shown, _, _ = _approve(mail_settings)
    tampered, _, _ = _approve(mail_settings)
    _approve(mail_settings, hcp=HcpDetails(email=HCP_EMAIL, consent=False))
    with session_factory(mail_settings.sqlalchemy_url)() as session:
        delivery.poll(session, _item(mail_settings, shown).conversation_id)
        session.execute(update(ReviewItem).where(ReviewItem.id == tampered).values(answer_text="edited"))
        session.commit()
    sent: list[str] = []
    monkeypatch.setattr(email_answer, "delay", sent.append)

    assert sweep_undelivered_answers() == 0  # just approved: the request's own task goes first
    with time_machine.travel(utcnow() + delivery.SWEEP_AFTER + dt.timedelta(seconds=5)):
        assert sweep_undelivered_answers() == 1
    assert sent == [lost]
