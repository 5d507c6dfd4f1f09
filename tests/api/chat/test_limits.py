"""Abuse limits (issue 7, finding 7): new conversations per address, messages per conversation and review items
are limited; over a limit the caller gets 429, Retry-After and the approved 'please wait' item, and nothing is
recorded. A broken limiter never blocks a chat."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select

from api.ae_cases.models import AeCase
from api.conversations.models import Conversation, Exchange, Route
from api.db import session_factory
from api.review_queue.models import ReviewItem
from api.settings import Settings
from tests.api.chat.conftest import MakeClient

MESSAGES = "/api/v1/conversations/{id}/messages"
OFF_LABEL = "Can Quelvanti be used for psoriatic arthritis?"
AE_REPORT = "My patient developed a severe rash after her second Quelvanti injection"
# Nothing listens here: the limiter's Redis is "down".
DEAD_REDIS_URL = "redis://127.0.0.1:9/0"


def start(client: TestClient) -> Response:
    return client.post("/api/v1/conversations", json={})


def chat(client: TestClient) -> tuple[str, dict[str, str]]:
    response = start(client)
    assert response.status_code == 201, response.text
    body = response.json()
    return body["id"], {"X-Conversation-Secret": body["secret"]}


def send(client: TestClient, conversation_id: str, headers: dict[str, str], text: str) -> Response:
    return client.post(MESSAGES.format(id=conversation_id), json={"text": text}, headers=headers)


def assert_please_wait(response: Response, longest: int) -> None:
    """A clean 429: Retry-After within the window, and the approved item to show."""
    assert response.status_code == 429, response.text
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= longest
    body = response.json()
    assert body["retry_after"] == retry_after
    [reply] = body["replies"]
    assert (reply["topic"], reply["content_id"], reply["approval_code"]) == (
        "please_wait",
        "qlv-sys-please-wait",
        "QLV-US-0113",
    )
    assert "1-800-555-0199" in reply["text"]  # the Drug Safety line: an AE is never left without a way through


def count(settings: Settings, model: type[object]) -> int:
    with session_factory(settings.sqlalchemy_url)() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_new_conversations_are_limited_per_address(make_client: MakeClient, settings: Settings) -> None:
    client = make_client(conversations_per_ip="3/minute;50/hour")
    answers = [start(client) for _ in range(6)]

    assert [a.status_code for a in answers] == [201, 201, 201, 429, 429, 429]
    for refused in answers[3:]:
        assert_please_wait(refused, longest=60)
    assert count(settings, Conversation) == 3
    # Another address has its own allowance.
    assert start(make_client(peer="198.51.100.77", conversations_per_ip="3/minute")).status_code == 201


def test_messages_are_limited_per_conversation_and_a_refused_one_is_not_recorded(
    make_client: MakeClient, settings: Settings
) -> None:
    client = make_client(messages_per_conversation="3/minute;100/day")
    conversation_id, headers = chat(client)
    answers = [send(client, conversation_id, headers, f"what is the dose of quelvanti {n}") for n in range(5)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429], [a.text for a in answers]
    for refused in answers[3:]:
        assert_please_wait(refused, longest=60)
    with session_factory(settings.sqlalchemy_url)() as session:
        conversation = session.get(Conversation, conversation_id)
        assert conversation is not None and conversation.message_count == 3
        assert [e.sequence for e in conversation.exchanges] == [1, 2, 3]
    # Other conversations are not affected.
    other_id, other_headers = chat(client)
    assert send(client, other_id, other_headers, "what is the dose of quelvanti").status_code == 200


def test_review_items_are_capped_per_conversation(make_client: MakeClient, settings: Settings) -> None:
    client = make_client(review_items_per_conversation="2/day")
    conversation_id, headers = chat(client)
    answers = [send(client, conversation_id, headers, OFF_LABEL) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert [a.json()["route"] for a in answers[:2]] == [Route.OFF_LABEL, Route.OFF_LABEL]
    assert_please_wait(answers[2], longest=24 * 3600)
    assert count(settings, ReviewItem) == 2
    assert count(settings, Exchange) == 2


def test_review_items_are_capped_per_address_across_conversations(
    make_client: MakeClient, settings: Settings
) -> None:
    client = make_client(review_items_per_ip="2/day")
    answers = []
    for _ in range(3):
        conversation_id, headers = chat(client)
        answers.append(send(client, conversation_id, headers, OFF_LABEL))

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert count(settings, ReviewItem) == 2


def test_limits_fail_open_when_redis_is_down(
    make_client: MakeClient, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(
        rate_limit_redis_url=DEAD_REDIS_URL,
        conversations_per_ip="1/minute",
        messages_per_conversation="1/minute",
        review_items_per_conversation="1/day",
    )
    with caplog.at_level(logging.WARNING):
        conversation_id, headers = chat(client)
        chat(client)
        answers = [send(client, conversation_id, headers, text) for text in (OFF_LABEL, OFF_LABEL, AE_REPORT)]

    assert [a.status_code for a in answers] == [200, 200, 200], [a.text for a in answers]
    assert answers[2].json()["route"] == Route.AE_TRIAGE
    assert count(settings, AeCase) == 1
    assert count(settings, Conversation) == 2
    logged = [r.getMessage() for r in caplog.records]
    assert any("rate limits unavailable, request allowed" in line for line in logged)
    assert any("turn lock unavailable" in line for line in logged)


def test_a_limit_never_turns_away_a_possible_adverse_event(make_client: MakeClient, settings: Settings) -> None:
    client = make_client(messages_per_conversation="2/minute;100/day")
    conversation_id, headers = chat(client)
    answers = [send(client, conversation_id, headers, f"what is the dose of quelvanti {n}") for n in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    report = send(
        client,
        conversation_id,
        headers,
        "my patient developed severe liver injury two weeks after starting quelvanti",
    )
    assert report.status_code == 200, report.text
    assert report.json()["route"] == Route.AE_TRIAGE
    assert count(settings, AeCase) == 1
    # Still over the limit for anything else.
    assert send(client, conversation_id, headers, "what is the dose of quelvanti again").status_code == 429
