"""SLA: business-hours due times, and beat escalating breached items with an e-mail to the leads."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from celery import beat
from sqlalchemy import select

from api.audit.models import AuditEvent
from api.auth.roles import Role
from api.celery_app import celery_app, configure_celery
from api.db import session_factory
from api.review_queue import tasks
from api.review_queue.models import ReviewItem, ReviewKind
from api.review_queue.sla import add_business_hours, due_at
from api.review_queue.tasks import ESCALATE_BREACHED, SWEEP_UNDELIVERED, escalate_breached
from api.settings import Settings
from tests.api.conftest import make_review_item, make_user
from tests.api.notifications.smtp_sink import SmtpSink, free_port
from tests.api.review_queue.conftest import PUBLIC_BASE_URL

UTC = dt.UTC
# Monday 2 November 2026, 10:00 in New York (EST, the day after the clocks went back).
RECEIVED = dt.datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
DUE = dt.datetime(2026, 11, 2, 19, 0, tzinfo=UTC)  # four business hours later: 14:00 EST
QUESTION = "can patients on quelvanti fly with the pen in hand luggage"


def _business(**overrides: object) -> Settings:
    return Settings(
        environment="test",
        business_timezone="America/New_York",
        business_day_start_hour=9,
        business_day_end_hour=17,
        **overrides,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        # Inside one day: Monday 10:00 EST + 4 h = 14:00 EST.
        (RECEIVED, 4, DUE),
        # A whole day exactly: Monday 09:00 + 8 h = Monday 17:00 EST.
        (dt.datetime(2026, 11, 2, 14, tzinfo=UTC), 8, dt.datetime(2026, 11, 2, 22, tzinfo=UTC)),
        # Before opening: Tuesday 07:00 EST counts from 09:00.
        (dt.datetime(2026, 11, 3, 12, tzinfo=UTC), 4, dt.datetime(2026, 11, 3, 18, tzinfo=UTC)),
        # After closing: Tuesday 18:30 EST counts from Wednesday 09:00.
        (dt.datetime(2026, 11, 3, 23, 30, tzinfo=UTC), 4, dt.datetime(2026, 11, 4, 18, tzinfo=UTC)),
        # Across a night: Monday 13:00 + 12 h = 4 h Monday + 8 h Tuesday, Tuesday 17:00 EST.
        (dt.datetime(2026, 11, 2, 18, tzinfo=UTC), 12, dt.datetime(2026, 11, 3, 22, tzinfo=UTC)),
        # Across a weekend: Friday 16:00 EST + 4 h = Monday 12:00 EST.
        (dt.datetime(2026, 11, 6, 21, tzinfo=UTC), 4, dt.datetime(2026, 11, 9, 17, tzinfo=UTC)),
        # Received on a Saturday: counts from Monday 09:00.
        (dt.datetime(2026, 11, 7, 15, tzinfo=UTC), 4, dt.datetime(2026, 11, 9, 18, tzinfo=UTC)),
        # Clocks go forward (Sunday 8 March 2026): Friday 16:00 EST + 4 h = Monday 12:00 EDT (16:00 UTC).
        (dt.datetime(2026, 3, 6, 21, tzinfo=UTC), 4, dt.datetime(2026, 3, 9, 16, tzinfo=UTC)),
        # Clocks go back (Sunday 1 November 2026): Friday 16:00 EDT + 4 h = Monday 12:00 EST (17:00 UTC).
        (dt.datetime(2026, 10, 30, 20, tzinfo=UTC), 4, dt.datetime(2026, 11, 2, 17, tzinfo=UTC)),
    ],
)
def test_add_business_hours(start: dt.datetime, hours: float, expected: dt.datetime) -> None:
    assert add_business_hours(start, hours, _business()) == expected


def test_due_times_per_kind_follow_the_settings() -> None:
    settings = _business(review_sla_novel_hours=4, review_sla_medical_information_days=1)
    assert due_at(ReviewKind.NOVEL_QUESTION, RECEIVED, settings) == DUE
    assert due_at(ReviewKind.COMPLIANCE_HOLD, RECEIVED, settings) == DUE
    # One business day for a Medical Information request: Tuesday 10:00 EST.
    assert due_at(ReviewKind.MEDICAL_INFORMATION, RECEIVED, settings) == RECEIVED + dt.timedelta(days=1)


def test_the_beat_schedule_runs_the_escalation_and_the_delivery_sweep_every_minute(
    mail_settings: Settings,
) -> None:
    entries = {e["task"]: e["schedule"] for e in celery_app.conf.beat_schedule.values()}
    assert entries[ESCALATE_BREACHED] == 60.0
    assert entries[SWEEP_UNDELIVERED] == 60.0


def _received_monday(settings: Settings, kind: ReviewKind = ReviewKind.NOVEL_QUESTION) -> str:
    with time_machine.travel(RECEIVED, tick=False):
        item_id, _ = make_review_item(settings, QUESTION, kind)
    return item_id


def _item(settings: Settings, item_id: str) -> ReviewItem:
    with session_factory(settings.sqlalchemy_url)() as session:
        item: ReviewItem | None = session.get(ReviewItem, item_id)
        assert item is not None
        return item


def _escalation_events(settings: Settings) -> list[AuditEvent]:
    with session_factory(settings.sqlalchemy_url)() as session:
        query = select(AuditEvent).where(AuditEvent.action == "review_item.escalated").order_by(AuditEvent.seq)
        return list(session.scalars(query))


def _leads(settings: Settings) -> str:
    lead = make_user(settings, Role.MEDICAL_REVIEWER, email="lead@staff.example", lead=True)
    make_user(settings, Role.MEDICAL_REVIEWER, email="reviewer@staff.example")  # not a lead
    make_user(settings, Role.PV_SPECIALIST, email="pv-lead@staff.example", lead=True)  # another queue's lead
    return lead.email


def test_escalation_waits_for_the_due_time_then_flags_audits_and_emails_the_lead_once(
    mail_settings: Settings, smtp_sink: SmtpSink
) -> None:
    lead_email = _leads(mail_settings)
    item_id = _received_monday(mail_settings)
    assert _item(mail_settings, item_id).due_at == DUE
    information_request = _received_monday(mail_settings, ReviewKind.MEDICAL_INFORMATION)  # due Tuesday

    with time_machine.travel(DUE - dt.timedelta(minutes=1)):
        assert escalate_breached() == 0
    assert _item(mail_settings, item_id).escalated_at is None

    with time_machine.travel(DUE + dt.timedelta(minutes=1), tick=False):
        assert escalate_breached() == 1
    assert _item(mail_settings, item_id).escalated_at == DUE + dt.timedelta(minutes=1)
    assert _item(mail_settings, information_request).escalated_at is None
    (event,) = _escalation_events(mail_settings)
    assert (event.entity_id, event.actor, event.actor_id) == (item_id, "system:sla", None)

    (received,) = smtp_sink.wait_for(1)
    assert received.rcpt_tos == [lead_email]
    assert "1 item" in received.message["Subject"]
    assert f"{PUBLIC_BASE_URL}/staff/queue/{item_id}" in received.body
    assert "novel_question" in received.body and "14:00 EST" in received.body
    assert QUESTION not in received.body and "hand luggage" not in received.body

    with time_machine.travel(DUE + dt.timedelta(minutes=2)):
        assert escalate_breached() == 0  # already flagged: nothing new, no second e-mail
    smtp_sink.assert_quiet(1)
    assert len(_escalation_events(mail_settings)) == 1


def test_beat_escalates_through_the_worker_and_the_email_arrives(
    celery_worker: None, mail_settings: Settings, smtp_sink: SmtpSink
) -> None:
    lead_email = _leads(mail_settings)
    item_id = _received_monday(mail_settings)
    with time_machine.travel(DUE + dt.timedelta(minutes=1)) as traveller:
        # The schedule `celery beat` runs, read from the app's configuration; one interval later it is due.
        scheduler = beat.Scheduler(celery_app)
        traveller.shift(dt.timedelta(seconds=61))
        for _ in scheduler.schedule:
            scheduler.tick()  # sends one due entry per call, as beat's loop does
        (received,) = smtp_sink.wait_for(1)
        scheduler.close()
    assert received.rcpt_tos == [lead_email]
    assert f"{PUBLIC_BASE_URL}/staff/queue/{item_id}" in received.body
    assert _item(mail_settings, item_id).escalated_at is not None
    assert [e.entity_id for e in _escalation_events(mail_settings)] == [item_id]


def test_flagging_does_not_depend_on_email(
    mail_settings: Settings, smtp_sink: SmtpSink, caplog: pytest.LogCaptureFixture
) -> None:
    _leads(mail_settings)
    item_id = _received_monday(mail_settings)
    unconfigured = mail_settings.model_copy(update={"smtp_host": None})
    configure_celery(unconfigured)
    with (
        time_machine.travel(DUE + dt.timedelta(minutes=1)),
        caplog.at_level(logging.WARNING, logger="api.notifications.mailer"),
    ):
        assert escalate_breached() == 1
    assert _item(mail_settings, item_id).escalated_at is not None
    assert "SMTP_HOST is not set" in caplog.text
    smtp_sink.assert_quiet(0, seconds=0.2)


def test_a_dead_relay_leaves_the_flags_and_hands_the_email_to_a_retrying_task(
    mail_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _leads(mail_settings)
    item_id = _received_monday(mail_settings)
    configure_celery(mail_settings.model_copy(update={"smtp_port": free_port()}))
    handed_off: list[tuple[object, ...]] = []
    monkeypatch.setattr(
        tasks.email_escalation, "apply_async", lambda args, countdown: handed_off.append(tuple(args))
    )
    with time_machine.travel(DUE + dt.timedelta(minutes=1)):
        assert escalate_breached() == 1
    assert _item(mail_settings, item_id).escalated_at is not None
    assert handed_off == [([item_id],)]
