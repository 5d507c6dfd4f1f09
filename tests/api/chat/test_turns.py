"""One message at a time per conversation (issue 7, finding 7): concurrent messages of one conversation take
turns instead of stalling in Rasa; one that waits too long gets a clean 429 and is not recorded."""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import redis
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from api.chat.turns import KEY_PREFIX
from api.conversations.models import Conversation, Exchange, ExchangeStatus, Route
from api.db import session_factory
from api.settings import Settings
from tests.api.chat.conftest import MakeClient
from tests.api.chat.test_limits import assert_please_wait, chat, send
from tests.conftest import LIMITS_REDIS_URL

# What Rasa takes for one message when no other message of the conversation holds its lock (about 40 ms here).
RASA_ALONE_MS = 2000
QUESTIONS = [
    "what is the dose of quelvanti",
    "how should quelvanti be stored",
    "what is quelvanti indicated for",
    "how is quelvanti supplied",
    "what are the contraindications of quelvanti",
    "how does quelvanti work",
    "what if a dose of quelvanti is missed",
    "can quelvanti stay at room temperature",
    "is there a copay program for quelvanti",
    "does the quelvanti pen contain latex",
]


def timed(client: TestClient, conversation_id: str, headers: dict[str, str], text: str) -> tuple[Response, float]:
    started = time.perf_counter()
    response = send(client, conversation_id, headers, text)
    return response, time.perf_counter() - started


def exchanges(settings: Settings, conversation_id: str) -> list[Exchange]:
    with session_factory(settings.sqlalchemy_url)() as session:
        return list(
            session.scalars(
                select(Exchange).where(Exchange.conversation_id == conversation_id).order_by(Exchange.sequence)
            )
        )


def test_ten_concurrent_messages_in_one_conversation_take_turns(
    make_client: MakeClient, settings: Settings
) -> None:
    client = make_client()
    conversation_id, headers = chat(client)
    with ThreadPoolExecutor(max_workers=len(QUESTIONS)) as pool:
        results = list(pool.map(lambda text: timed(client, conversation_id, headers, text), QUESTIONS))

    statuses = [response.status_code for response, _ in results]
    assert set(statuses) <= {200, 429}, [response.text for response, _ in results]
    for response, _ in results:
        if response.status_code == 429:
            assert_please_wait(response, longest=5)
    latencies = sorted(seconds for _, seconds in results)
    assert latencies[-1] < settings.rasa_timeout_seconds, latencies
    assert statistics.median(latencies) < 3, latencies  # it was 9.2 s before turns were queued
    answered = statuses.count(200)
    assert answered >= len(QUESTIONS) // 2, statuses
    recorded = exchanges(settings, conversation_id)
    assert [e.sequence for e in recorded] == list(range(1, answered + 1))
    # Each reached Rasa alone, so Rasa never made one wait on its own lock (that took up to 9 s; past its
    # timeout a message is recorded as assistant_unavailable).
    assert [e.status for e in recorded] == [ExchangeStatus.REPLIED] * answered, [e.route_reason for e in recorded]
    assert max(e.assistant_ms or 0 for e in recorded) < RASA_ALONE_MS, [e.assistant_ms for e in recorded]


def test_a_message_that_waits_too_long_gets_429_and_is_not_recorded(
    make_client: MakeClient, settings: Settings
) -> None:
    client = make_client(turn_wait_seconds=0.5)
    conversation_id, headers = chat(client)
    store = redis.Redis.from_url(LIMITS_REDIS_URL)
    busy = store.lock(f"{KEY_PREFIX}:{conversation_id}", timeout=30)
    assert busy.acquire(blocking=False)
    try:
        refused = send(client, conversation_id, headers, "what is the dose of quelvanti")
    finally:
        busy.release()
        store.close()

    assert_please_wait(refused, longest=5)
    assert exchanges(settings, conversation_id) == []
    with session_factory(settings.sqlalchemy_url)() as session:
        conversation = session.get(Conversation, conversation_id)
        assert conversation is not None and conversation.message_count == 0
    # Sent again once the turn is free, it is the conversation's first message.
    assert send(client, conversation_id, headers, "what is the dose of quelvanti").status_code == 200
    assert [e.sequence for e in exchanges(settings, conversation_id)] == [1]


def test_a_possible_adverse_event_is_not_turned_away_by_a_busy_turn(
    make_client: MakeClient, settings: Settings
) -> None:
    client = make_client(turn_wait_seconds=0.5)
    conversation_id, headers = chat(client)
    store = redis.Redis.from_url(LIMITS_REDIS_URL)
    busy = store.lock(f"{KEY_PREFIX}:{conversation_id}", timeout=30)
    assert busy.acquire(blocking=False)
    try:
        report = send(
            client, conversation_id, headers, "my patient got a severe rash after her quelvanti injection"
        )
        question = send(client, conversation_id, headers, "what is the dose of quelvanti")
    finally:
        busy.release()
        store.close()

    assert report.status_code == 200, report.text
    assert report.json()["route"] == Route.AE_TRIAGE
    assert question.status_code == 429
    assert [e.sequence for e in exchanges(settings, conversation_id)] == [1]


def test_a_turn_left_by_a_crashed_process_expires(make_client: MakeClient, settings: Settings) -> None:
    client = make_client(turn_wait_seconds=5)
    conversation_id, headers = chat(client)
    store = redis.Redis.from_url(LIMITS_REDIS_URL)
    # A process that took the turn and died: its lock is never released, only expires.
    assert store.lock(f"{KEY_PREFIX}:{conversation_id}", timeout=1).acquire(blocking=False)
    store.close()

    response, seconds = timed(client, conversation_id, headers, "what is the dose of quelvanti")

    assert response.status_code == 200, response.text
    assert 0.5 < seconds < 5
