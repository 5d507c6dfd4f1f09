"""PV fixtures: settings with a temporary outbound directory, a client on them, and case factories."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.ae_cases import service as cases
from api.ae_cases.models import AeCase
from api.audit import service as audit
from api.celery_app import configure_celery, task_settings
from api.conversations import service as conversations
from api.conversations.models import Route
from api.db import session_factory
from api.hcp_profiles.schemas import HcpDetails
from api.main import create_app
from api.moderation.service import moderate
from api.settings import Settings
from api.verbatim import service as verbatim
from tests.api.conftest import start_chat
from tests.api.notifications.smtp_sink import SmtpSink

# No patient detail: the chat asks for one. Product and event are named; the reporter is the HCP.
NO_PATIENT = "Someone developed a rash after a Quelvanti injection"
PUBLIC_BASE_URL = "https://hcp.quelvanti.example"
VALID_REPORT = "My patient, a 54 year old woman, developed a severe rash after her second Quelvanti injection"


@pytest.fixture
def pv_settings(offline_settings: Settings, tmp_path: Path) -> Settings:
    """Offline settings whose E2B exports go to a directory of this test's own."""
    return offline_settings.model_copy(update={"e2b_outbound_dir": tmp_path / "outbound" / "e2b"})


@pytest.fixture
def pv_client(pv_settings: Settings) -> Iterator[TestClient]:
    """The app on those settings (no Rasa: the AE path never asks it)."""
    with TestClient(create_app(pv_settings)) as client:
        yield client


class Chat:
    """One HCP conversation through the public chat endpoints."""

    def __init__(self, client: TestClient, **hcp: object) -> None:
        self.client = client
        self.id, self.headers = start_chat(client, **hcp)

    def say(self, text: str) -> dict[str, object]:
        """Send a message; the response body."""
        response: httpx.Response = self.client.post(
            f"/api/v1/conversations/{self.id}/messages", json={"text": text}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, object] = response.json()
        return body


def topics(body: dict[str, object]) -> list[str]:
    """The topics of the approved items a reply carried."""
    replies = body["replies"]
    assert isinstance(replies, list)
    return [reply["topic"] for reply in replies]


def case_of(settings: Settings, conversation_id: str) -> AeCase:
    """The (first) case of a conversation, detached."""
    with session_factory(settings.sqlalchemy_url)() as session:
        case: AeCase | None = session.scalars(
            select(AeCase).where(AeCase.conversation_id == conversation_id).order_by(AeCase.created_at)
        ).first()
        assert case is not None
        return case


def load(settings: Settings, case_id: str) -> AeCase:
    """A case as stored now, detached."""
    with session_factory(settings.sqlalchemy_url)() as session:
        case: AeCase | None = session.get(AeCase, case_id)
        assert case is not None
        return case


def actions(settings: Settings, case_id: str) -> list[str]:
    """The case's audit actions, oldest first."""
    with session_factory(settings.sqlalchemy_url)() as session:
        return [e.action for e in audit.history(session, "ae_case", case_id)]


def make_case(settings: Settings, text: str = NO_PATIENT, hcp: HcpDetails | None = None) -> tuple[str, str]:
    """A conversation with one moderated AE report, its verbatim text and its case; (case id, exchange id)."""
    assessment = moderate(text)
    assert assessment.route.value == "ae_triage", text
    with session_factory(settings.sqlalchemy_url)() as session:
        conversation, _secret = conversations.start_conversation(session, hcp)
        exchange = conversations.record_inbound(session, conversation.id, assessment)
        exchange.route = Route.AE_TRIAGE
        verbatim.keep(session, settings, exchange.id, text)
        case = cases.open_case(session, exchange, conversation, assessment)
        session.commit()
        return case.id, exchange.id


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """A real SMTP server on 127.0.0.1 collecting what it receives."""
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def pv_mail_settings(pv_settings: Settings, smtp_sink: SmtpSink) -> Iterator[Settings]:
    """PV settings with SMTP at the local server; the Celery app uses them for the test."""
    try:
        previous: Settings | None = task_settings()
    except RuntimeError:
        previous = None
    settings = pv_settings.model_copy(
        update={"smtp_host": smtp_sink.host, "smtp_port": smtp_sink.port, "public_base_url": PUBLIC_BASE_URL}
    )
    configure_celery(settings)
    yield settings
    if previous is not None:
        configure_celery(previous)
