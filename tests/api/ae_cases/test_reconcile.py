"""Reconciliation: every flagged exchange has exactly one case (own, merged into, or answered for), every case
is open within its due time, submitted or closed with a reason; the rest is listed (API, CLI and screen)."""

from __future__ import annotations

import argparse
import datetime as dt
import json

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import update

from api.__main__ import parser
from api.ae_cases import cli, reconcile
from api.ae_cases.models import AeCase, AeCaseStatus
from api.auth.roles import Role
from api.conversations import service as conversations
from api.db import session_factory, utcnow
from api.moderation.service import moderate
from api.settings import Settings
from tests.api.ae_cases.conftest import NO_PATIENT, VALID_REPORT, Chat, case_of, make_case
from tests.api.ae_cases.test_api import BASE, as_pv
from tests.api.conftest import PASSWORD, make_user, sign_in
from tests.api.staff_pages import shows

TODAY = dt.date(2026, 12, 1)
NOON = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)  # after the follow-up items were approved


def _work_a_clean_day(client: TestClient, settings: Settings) -> None:
    """A day of AE traffic, all of it accounted for: follow-ups, a merge, a closure and a submission."""
    chat = Chat(client)
    chat.say(NO_PATIENT)
    chat.say("female, 40 years old")  # answers the patient question
    chat.say("yes")
    product_chat = Chat(client)
    product_chat.say("My patient developed a rash")
    product_chat.say("Quelvanti, and she got hives too")  # flagged itself; attached to the case it answers
    duplicate, _ = make_case(settings, NO_PATIENT)
    target, _ = make_case(settings, VALID_REPORT)
    closed, _ = make_case(settings, NO_PATIENT)
    submitted, _ = make_case(settings, VALID_REPORT)
    as_pv(client, settings)
    number = client.get(f"{BASE}/{target}").json()["case_number"]
    assert client.post(f"{BASE}/{duplicate}/merge", json={"into": number}).status_code == 200
    assert client.post(f"{BASE}/{closed}/close", json={"reason": "test_or_spam"}).status_code == 200
    client.post(f"{BASE}/{submitted}/ready")
    assert client.post(f"{BASE}/{submitted}/submit", json={"password": PASSWORD}).status_code == 200


def test_a_worked_day_reconciles(pv_client: TestClient, pv_settings: Settings) -> None:
    with time_machine.travel(NOON, tick=False):
        _work_a_clean_day(pv_client, pv_settings)
        body = pv_client.get(f"{BASE}/reconciliation", params={"since": TODAY.isoformat()}).json()

    assert body["ok"] and body["problems"] == [] and body["unaccounted_exchanges"] == 0
    assert body["attached_as_follow_up"] == 1  # the flagged answer to the product question
    assert body["flagged_exchanges"] == body["with_own_case"] + body["merged_into_another"] + 1
    assert body["merged_into_another"] == 1 and body["merged"] == 1
    assert (body["submitted"], body["closed_with_reason"]) == (1, 1)
    assert body["open_within_due"] == body["cases"] - 3


def test_what_is_not_accounted_for_is_listed(pv_client: TestClient, pv_settings: Settings) -> None:
    with time_machine.travel(NOON, tick=False):
        overdue, _ = make_case(pv_settings)
        lost_submission, _ = make_case(pv_settings, VALID_REPORT)
        no_reason, _ = make_case(pv_settings)
        with session_factory(pv_settings.sqlalchemy_url)() as session:
            # A flagged message whose case was never written (what the same transaction prevents).
            conversation, _ = conversations.start_conversation(session, None)
            orphan = conversations.record_inbound(session, conversation.id, moderate(NO_PATIENT))
            session.execute(
                update(AeCase).where(AeCase.id == lost_submission).values(status=AeCaseStatus.SUBMITTED)
            )
            session.execute(
                update(AeCase).where(AeCase.id == no_reason).values(status=AeCaseStatus.CLOSED_NOT_A_CASE)
            )
            session.commit()
            orphan_id = orphan.id

    with session_factory(pv_settings.sqlalchemy_url)() as session:
        report = reconcile.run(session, TODAY, NOON + dt.timedelta(days=2))

    assert not report.ok and report.unaccounted_exchanges == 1
    found = {(p.kind, p.entity_id) for p in report.problems}
    assert found == {
        ("no_case", orphan_id),
        ("past_due", overdue),
        ("no_export", lost_submission),
        ("closed_without_reason", no_reason),
    }


def test_the_command_line_prints_the_report_and_exits_non_zero_on_problems(
    pv_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    args = parser().parse_args(["pv", "reconcile", "--since", TODAY.isoformat()])
    assert args.handler is cli.reconcile_command and args.since == TODAY
    with time_machine.travel(NOON, tick=False):
        make_case(pv_settings)
    with session_factory(pv_settings.sqlalchemy_url)() as session:
        with time_machine.travel(NOON + dt.timedelta(hours=1), tick=False):
            assert cli.reconcile_command(session, argparse.Namespace(since=TODAY, json=False)) == 0
        assert "OK: nothing unaccounted for" in capsys.readouterr().out
        with time_machine.travel(NOON + dt.timedelta(days=2), tick=False):
            assert cli.reconcile_command(session, argparse.Namespace(since=TODAY, json=True)) == 1
    printed = json.loads(capsys.readouterr().out)
    assert [p["kind"] for p in printed["problems"]] == ["past_due"]
    with pytest.raises(SystemExit):
        parser().parse_args(["pv", "reconcile", "--since", "yesterday"])


def test_the_reconciliation_screen(pv_client: TestClient, pv_settings: Settings) -> None:
    with time_machine.travel(utcnow() - dt.timedelta(days=3), tick=False):
        case_id, _ = make_case(pv_settings)
    sign_in(pv_client, make_user(pv_settings, Role.PV_SPECIALIST))
    since = (utcnow() - dt.timedelta(days=5)).date().isoformat()

    page = pv_client.get("/staff/pv/reconciliation", params={"since": since})

    assert page.status_code == 200
    assert shows(page.text, "1 item(s) are not accounted for")
    assert f"/staff/pv/cases/{case_id}" in page.text and "past_due" in page.text
    assert pv_client.get("/staff/pv/reconciliation", params={"since": "nope"}).status_code == 422
    assert case_of(pv_settings, pv_client.get(f"{BASE}/{case_id}").json()["conversation_id"]).id == case_id
