"""API fixtures: the app on real SQLite and PostgreSQL, talking to the real Rasa of the test stack."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from celery.contrib.testing.worker import start_worker
from fastapi.testclient import TestClient
from sqlalchemy import delete, update

from api.audit.models import GENESIS_HASH, AuditHead
from api.auth import service as auth
from api.auth.roles import Role
from api.celery_app import celery_app, configure_celery
from api.conversations import service as conversations
from api.conversations.models import Route
from api.db import session_factory
from api.hcp_profiles.schemas import HcpDetails
from api.main import create_app
from api.models import (
    AeCase,
    AeCaseExport,
    AeCaseFollowUp,
    AuditEvent,
    ConsentEvent,
    ContentProposal,
    ContentRelease,
    ContentVersion,
    Conversation,
    EngagementEvent,
    Exchange,
    HcpProfile,
    InsightEvent,
    InsightHcp,
    InsightQuestion,
    Reply,
    ReviewItem,
    Signature,
    StaffSession,
    StaffUser,
    VerbatimText,
)
from api.moderation.service import moderate
from api.review_queue import service as review_queue
from api.review_queue.models import ReviewKind
from api.settings import Settings
from tests.conftest import LIMITS_REDIS_URL, ROOMY_LIMITS, TEST_QUEUE, TEST_REDIS_URL, Stack

# Test users' password (the policy wants 12+ characters with variety).
PASSWORD = "correct horse battery staple"
TABLES = (
    ContentRelease, ContentVersion, ContentProposal,
    InsightQuestion, InsightEvent, InsightHcp, EngagementEvent, ConsentEvent,
    AeCaseExport, AeCaseFollowUp, AeCase, VerbatimText, ReviewItem, Signature, Reply, Exchange, Conversation,
    HcpProfile, StaffSession, StaffUser, AuditEvent,
)  # fmt: skip


def _empty_tables(url: str) -> None:
    # Test set-up only: the product has no path that deletes audit rows.
    with session_factory(url)() as session:
        for model in TABLES:
            session.execute(delete(model))
        session.execute(update(AuditHead).values(seq=0, last_hash=GENESIS_HASH))
        session.commit()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each API test runs once on SQLite and once on PostgreSQL, starting from empty tables."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    _empty_tables(url)
    yield url
    _empty_tables(url)


@pytest.fixture
def settings(database_url: str, stack: Stack) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        redis_url=TEST_REDIS_URL,
        celery_queue=TEST_QUEUE,
        rasa_url=stack.rasa_url,
        action_server_url=stack.actions_url,
        rate_limit_redis_url=LIMITS_REDIS_URL,
        **ROOMY_LIMITS,
    )


@pytest.fixture(scope="session")
def celery_worker() -> Iterator[None]:
    """A real Celery worker thread consuming the test Redis database."""
    configure_celery(Settings(environment="test", redis_url=TEST_REDIS_URL, celery_queue=TEST_QUEUE))
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield


@pytest.fixture
def client(settings: Settings, celery_worker: None) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def start_conversation(client: TestClient, **hcp: object) -> str:
    """Start a conversation and let the client carry its secret from now on (one chat per client)."""
    conversation_id, headers = start_chat(client, **hcp)
    client.headers.update(headers)
    return conversation_id


def make_user(settings: Settings, *roles: Role, email: str | None = None, lead: bool = False) -> StaffUser:
    """A staff user with roles, committed (password: PASSWORD)."""
    email = email or f"{'-'.join(r.value for r in roles) or 'noroles'}-{len(roles)}@staff.example"
    with session_factory(settings.sqlalchemy_url)() as session:
        user = auth.create_user(
            session, email, PASSWORD, list(roles), display_name=email.split("@")[0], is_lead=lead
        )
        session.commit()
        return user


def sign_in(client: TestClient, user: StaffUser) -> str:
    """Sign a test client in with a cookie session; returns the CSRF token for state changes."""
    response = client.post("/api/v1/auth/session", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    csrf: str = response.json()["csrf_token"]
    return csrf


def start_chat(client: TestClient, **hcp: object) -> tuple[str, dict[str, str]]:
    """Start a conversation; returns its id and the headers carrying its secret."""
    response = client.post("/api/v1/conversations", json={"hcp": hcp} if hcp else {})
    assert response.status_code == 201, response.text
    body = response.json()
    return body["id"], {"X-Conversation-Secret": body["secret"]}


@pytest.fixture
def offline_settings(database_url: str) -> Settings:
    """Settings for tests that never chat with Rasa (staff screens, audit, queue workflow): no stack needed."""
    return Settings(
        environment="test",
        database_url=database_url,
        redis_url=TEST_REDIS_URL,
        celery_queue=TEST_QUEUE,
        rasa_url="http://127.0.0.1:9",
        action_server_url="http://127.0.0.1:9",
        rate_limit_redis_url=LIMITS_REDIS_URL,
        **ROOMY_LIMITS,
    )


@pytest.fixture
def staff_client(offline_settings: Settings) -> Iterator[TestClient]:
    """The app without Rasa behind it, for staff-side tests."""
    with TestClient(create_app(offline_settings)) as test_client:
        yield test_client


def make_review_item(
    settings: Settings,
    text: str = "can patients on quelvanti fly with the pen in hand luggage",
    kind: ReviewKind = ReviewKind.NOVEL_QUESTION,
    hcp: HcpDetails | None = None,
) -> tuple[str, str]:
    """A conversation with one moderated exchange and its open review item; returns (item id, conversation id)."""
    with session_factory(settings.sqlalchemy_url)() as session:
        conversation, _secret = conversations.start_conversation(session, hcp)
        exchange = conversations.record_inbound(session, conversation.id, moderate(text))
        exchange.route = Route.OFF_LABEL if kind is ReviewKind.MEDICAL_INFORMATION else Route.REVIEW
        item = review_queue.open_now(session, exchange, kind, settings)
        session.commit()
        return item.id, conversation.id
