"""Chat tests with tight abuse limits: each test counts under its own client address, on the limits' own Redis
database, and removes the keys it created."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.conversations.models import Conversation
from api.db import session_factory
from api.main import create_app
from api.settings import Settings
from tests.conftest import LIMITS_REDIS_URL

MakeClient = Callable[..., TestClient]


@pytest.fixture
def client_ip() -> str:
    """An address of the benchmarking range (198.18.0.0/15) for this test alone."""
    return f"198.18.{random.randrange(256)}.{random.randrange(1, 255)}"


def forget_keys(client: redis.Redis, *tokens: str) -> None:
    """Delete the limiter's and turn lock's keys that name one of the tokens (an address, a conversation)."""
    for token in tokens:
        for key in client.scan_iter(match=f"hcp-*{token}*"):
            client.delete(key)


def with_overrides(settings: Settings, **overrides: Any) -> Settings:
    """The settings with some fields replaced, validated as at start-up."""
    return Settings(**{**settings.model_dump(), **overrides})


@pytest.fixture
def make_client(settings: Settings, celery_worker: None, client_ip: str) -> Iterator[MakeClient]:
    """Builds apps on the real stack (Rasa, Redis, the database) with setting overrides, called from client_ip."""
    opened: list[TestClient] = []

    def make(peer: str = client_ip, **overrides: Any) -> TestClient:
        test_client = TestClient(create_app(with_overrides(settings, **overrides)), client=(peer, 50000))
        test_client.__enter__()
        opened.append(test_client)
        return test_client

    yield make
    for test_client in opened:
        test_client.__exit__(None, None, None)
    forget_test_keys(settings, client_ip)


def forget_test_keys(settings: Settings, *tokens: str) -> None:
    """Delete the limiter's and turn lock's keys of this test's conversations (and of other tokens)."""
    with session_factory(settings.sqlalchemy_url)() as session:
        conversation_ids = list(session.scalars(select(Conversation.id)))
    store = redis.Redis.from_url(LIMITS_REDIS_URL)
    forget_keys(store, *tokens, *conversation_ids)
    store.close()
