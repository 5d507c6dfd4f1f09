"""Profiles and logged exchanges for the profile and insights tests (the real services, without Rasa)."""

from __future__ import annotations

import datetime as dt

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.conversations import service as conversations
from api.conversations.models import Conversation, ExchangeStatus, Route
from api.db import session_factory
from api.hcp_profiles import engagement
from api.hcp_profiles.identity import npi_check_digit
from api.hcp_profiles.models import HcpProfile
from api.moderation.service import moderate
from api.settings import Settings
from content_library import ContentLibrary
from tests.api.conftest import start_chat

LIBRARY = ContentLibrary()


def npi(n: int) -> str:
    """A valid (check-digit) NPI made from a number."""
    first_nine = f"1{n:08d}"
    return first_nine + npi_check_digit(first_nine)


def log_exchange(
    settings: Settings,
    conversation_id: str,
    text: str,
    topic: str | None,
    route: Route = Route.ANSWERED,
    at: dt.datetime | None = None,
) -> int:
    """Record one moderated exchange answered with the topic's approved item (or routed), as the flow does."""
    with session_factory(settings.sqlalchemy_url)() as session:
        exchange = conversations.record_inbound(session, conversation_id, moderate(text))
        if at is not None:
            exchange.received_at = at
        item = LIBRARY.for_topic(topic) if topic else None
        conversations.record_outcome(
            session,
            exchange,
            route=route,
            status=ExchangeStatus.REPLIED,
            reason="test",
            items=[item] if item else [],
            intent=f"ask_{topic}" if topic else None,
            confidence=0.99,
            assistant_ms=1.0,
            total_ms=2.0,
        )
        engagement.record_exchange(session, exchange)
        session.commit()
        return exchange.sequence


def profile_of(settings: Settings, conversation_id: str) -> HcpProfile:
    """The profile a conversation is logged to (detached copy)."""
    with session_factory(settings.sqlalchemy_url)() as session:
        conversation = session.get(Conversation, conversation_id)
        assert conversation is not None
        profile = session.scalar(select(HcpProfile).where(HcpProfile.id == conversation.hcp_profile_id))
        assert profile is not None
        session.expunge(profile)
        return profile


def consent(
    client: httpx.Client, conversation_id: str, headers: dict[str, str], purpose: str, granted: bool
) -> None:
    """Grant or revoke a purpose against the current approved text, as the widget does."""
    item = LIBRARY.system(f"consent_{purpose}")
    assert item is not None
    response = client.put(
        f"/api/v1/conversations/{conversation_id}/consents/{purpose}",
        json={"granted": granted, "content_id": item.id, "version": item.version},
        headers=headers,
    )
    assert response.status_code == 200, response.text


def consenting_hcp(
    client: TestClient, settings: Settings, specialty: str, topics: list[str], at: dt.datetime | None = None
) -> str:
    """A new HCP of a specialty, consenting to insights, who asked about each topic; returns the conversation."""
    conversation_id, headers = start_chat(client)
    client.put(f"/api/v1/conversations/{conversation_id}/hcp", json={"specialty": specialty}, headers=headers)
    consent(client, conversation_id, headers, "insights", True)
    for topic in topics:
        log_exchange(settings, conversation_id, f"question about {topic.replace('_', ' ')}", topic, at=at)
    return conversation_id
