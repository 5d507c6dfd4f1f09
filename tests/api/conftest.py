"""API fixtures: the app on real SQLite and PostgreSQL, talking to the real Rasa of the test stack."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from celery.contrib.testing.worker import start_worker
from fastapi.testclient import TestClient
from sqlalchemy import delete

from api.celery_app import celery_app, configure_celery
from api.db import session_factory
from api.main import create_app
from api.models import AeCase, Conversation, Exchange, HcpProfile, MedicalRequest, Reply, ReviewItem
from api.settings import Settings
from tests.conftest import TEST_QUEUE, TEST_REDIS_URL, Stack


def _empty_tables(url: str) -> None:
    with session_factory(url)() as session:
        for model in (AeCase, MedicalRequest, ReviewItem, Reply, Exchange, Conversation, HcpProfile):
            session.execute(delete(model))
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
    response = client.post("/api/v1/conversations", json={"hcp": hcp} if hcp else {})
    assert response.status_code == 201, response.text
    conversation_id: str = response.json()["id"]
    return conversation_id
