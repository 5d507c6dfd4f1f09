"""A case past its regulatory due time is escalated by beat: flagged, audited, and the PV leads e-mailed once."""

from __future__ import annotations

import datetime as dt

import time_machine

from api.ae_cases import triage
from api.ae_cases.models import AeCase, AeCaseStatus, CloseReason
from api.ae_cases.tasks import DELIVER_EXPORTS, ESCALATE_BREACHED, escalate_breached
from api.auth.models import StaffUser
from api.auth.roles import Role
from api.celery_app import celery_app
from api.db import session_factory
from api.settings import Settings
from tests.api.ae_cases.conftest import PUBLIC_BASE_URL, actions, load, make_case
from tests.api.conftest import make_user
from tests.api.notifications.smtp_sink import SmtpSink

RECEIVED = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
DUE = RECEIVED + dt.timedelta(days=1)
REPORT = "My patient Mary Jones was hospitalised with pneumonia after Quelvanti"


def test_beat_runs_the_escalation_and_the_export_delivery_every_minute(pv_mail_settings: Settings) -> None:
    entries = {e["task"]: e["schedule"] for e in celery_app.conf.beat_schedule.values()}
    assert entries[ESCALATE_BREACHED] == 60.0 and entries[DELIVER_EXPORTS] == 60.0


def test_a_breached_case_is_flagged_and_the_pv_leads_are_emailed_once(
    pv_mail_settings: Settings, smtp_sink: SmtpSink
) -> None:
    lead = make_user(pv_mail_settings, Role.PV_SPECIALIST, email="pv-lead@staff.example", lead=True)
    make_user(pv_mail_settings, Role.PV_SPECIALIST, email="pv@staff.example")  # not a lead
    make_user(pv_mail_settings, Role.MEDICAL_REVIEWER, email="mr-lead@staff.example", lead=True)  # another queue
    with time_machine.travel(RECEIVED, tick=False):
        case_id, _ = make_case(pv_mail_settings, REPORT)
        closed_id, _ = make_case(pv_mail_settings)
    with (
        time_machine.travel(RECEIVED + dt.timedelta(hours=1), tick=False),
        session_factory(pv_mail_settings.sqlalchemy_url)() as session,
    ):
        user = session.get(StaffUser, lead.id)
        closed = session.get(AeCase, closed_id)
        assert user is not None and closed is not None
        triage.close(session, closed, user, CloseReason.TEST_OR_SPAM, "")
        session.commit()

    with time_machine.travel(DUE - dt.timedelta(minutes=1), tick=False):
        assert escalate_breached() == 0
    with time_machine.travel(DUE + dt.timedelta(minutes=1), tick=False):
        assert escalate_breached() == 1
    with time_machine.travel(DUE + dt.timedelta(minutes=2), tick=False):
        assert escalate_breached() == 0

    case = load(pv_mail_settings, case_id)
    assert case.escalated_at == DUE + dt.timedelta(minutes=1) and case.status is AeCaseStatus.NEW
    assert actions(pv_mail_settings, case_id).count("ae_case.escalated") == 1
    assert load(pv_mail_settings, closed_id).escalated_at is None
    (mail,) = smtp_sink.wait_for(1)
    smtp_sink.assert_quiet(1, seconds=0.3)
    assert mail.rcpt_tos == [lead.email]
    assert case.case_number in mail.body and "(SERIOUS)" in mail.body
    assert f"{PUBLIC_BASE_URL}/staff/pv/cases/{case_id}" in mail.body
    assert "Mary" not in mail.body and "pneumonia" not in mail.body
