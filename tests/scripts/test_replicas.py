"""Past one Rasa: two real replicas share the tracker and lock stores in Redis, so either serves any conversation.

One conversation's messages go alternately (then all at once) through two Rasa processes started as
`scripts.run --rasa-replicas 2` starts them, on a dedicated Redis database; the tracker stays one consistent
history. The API's client spreads messages over the replicas and fails over when one is down.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from api.assistant.rasa_client import RasaClient
from scripts.stack import BotAccess, Ports, Process, rasa_server, stop_all, wait_ready
from tests.conftest import Stack

# Trackers and locks of this module only (the stack uses 11, the API tests 12, the benchmark 13).
REPLICAS_REDIS_URL = "redis://127.0.0.1:6379/15"
QUESTIONS = [
    "what is quelvanti indicated for",
    "what is the recommended dose",
    "how do I store the pens",
    "can it be used in pregnancy",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def replicas(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Process]]:
    """Two Rasa replicas on one Redis database, calling the stack's action server."""
    redis.Redis.from_url(REPLICAS_REDIS_URL).flushdb()
    workdir = Path(tmp_path_factory.mktemp("replicas"))
    ports = Ports(actions=int(stack.actions_url.rsplit(":", 1)[1]))
    access = BotAccess(stack.rasa_token, stack.action_server_token)
    processes = [
        rasa_server(ports, workdir, port=_free_port(), name=name, redis_url=REPLICAS_REDIS_URL, access=access)
        for name in ("rasa-a", "rasa-b")
    ]
    try:
        for process in processes:
            process.start()
        wait_ready(processes, timeout=300, report=lambda _: None)
        yield processes
    finally:
        stop_all(processes)
        redis.Redis.from_url(REPLICAS_REDIS_URL).flushdb()


def _url(process: Process) -> str:
    return f"http://127.0.0.1:{process.argv[process.argv.index('--port') + 1]}"


def _say(stack: Stack, process: Process, sender: str, text: str, request_id: str | None = None) -> None:
    headers = {"Authorization": f"Bearer {stack.rasa_token}"}
    if request_id:
        headers["X-Request-ID"] = request_id  # as the API sends it (api.assistant.rasa_client)
    response = httpx.post(
        f"{_url(process)}/webhooks/rest/webhook",
        json={"sender": sender, "message": text, "metadata": {"smuggled": "ignored"}},
        headers=headers,
        timeout=60,
    )
    assert response.status_code == 200, response.text
    assert [m for m in response.json() if m.get("custom")], f"no action payload for {text!r}"


def _tracker(stack: Stack, process: Process, sender: str) -> dict[str, Any]:
    response = httpx.get(
        f"{_url(process)}/conversations/{sender}/tracker", params={"token": stack.rasa_token}, timeout=30
    )
    response.raise_for_status()
    tracker: dict[str, Any] = response.json()
    return tracker


def _turns(events: list[dict[str, Any]]) -> list[list[str]]:
    """The events grouped by user message: each group starts with the user's text."""
    turns: list[list[str]] = []
    for event in events:
        if event["event"] == "user":
            turns.append([event["text"]])
        elif turns and event["event"] in ("action", "bot"):
            turns[-1].append(event.get("name") or event["event"])
    return turns


def test_alternating_replicas_keep_one_tracker_in_order(stack: Stack, replicas: list[Process]) -> None:
    sender = f"replicas-{uuid.uuid4()}"
    first, second = replicas
    _say(stack, first, sender, QUESTIONS[0], request_id="req-replica-0001")
    # A slot set through the first replica (Rasa's own session slot: this domain declares none) ...
    slot = {"event": "slot", "name": "session_started_metadata", "value": {"carried": "over"}}
    response = httpx.post(
        f"{_url(first)}/conversations/{sender}/tracker/events",
        json=slot,
        params={"token": stack.rasa_token},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    for n, text in enumerate(QUESTIONS[1:], start=1):
        _say(stack, (first, second)[n % 2], sender, text)

    from_first, from_second = _tracker(stack, first, sender), _tracker(stack, second, sender)
    assert from_first["events"] == from_second["events"]
    events = from_first["events"]
    # ... is still set after the second replica took messages: one session, never restarted on a replica.
    assert from_second["slots"]["session_started_metadata"] == {"carried": "over"}
    assert [e["event"] for e in events].count("session_started") == 1
    user_events = [e for e in events if e["event"] == "user"]
    # The request id comes from the header; metadata in the body is not Rasa's to store.
    assert user_events[0]["metadata"]["request_id"] == "req-replica-0001"
    assert "smuggled" not in user_events[0]["metadata"]
    assert all("request_id" not in e["metadata"] for e in user_events[1:]), user_events
    turns = _turns(events)
    assert [turn[0] for turn in turns] == QUESTIONS
    for turn in turns:  # each message fully answered before the next: user, action_reply, bot..., listen
        assert turn[1] == "action_reply" and turn[-1] == "action_listen" and "bot" in turn, turn


def test_simultaneous_messages_through_both_replicas_are_all_kept(stack: Stack, replicas: list[Process]) -> None:
    sender = f"replicas-{uuid.uuid4()}"
    texts = [f"{question} ({n})" for n, question in enumerate(QUESTIONS + QUESTIONS[:2])]
    with ThreadPoolExecutor(max_workers=len(texts)) as pool:
        list(pool.map(lambda n: _say(stack, replicas[n % 2], sender, texts[n]), range(len(texts))))

    turns = _turns(_tracker(stack, replicas[0], sender)["events"])
    # Redis locks serialise the conversation across replicas: no message lost, no turn interleaved.
    assert sorted(turn[0] for turn in turns) == sorted(texts)
    for turn in turns:
        assert turn[1] == "action_reply" and turn[-1] == "action_listen" and turn.count("action_reply") == 1, turn


def test_a_long_conversation_keeps_a_bounded_tracker_with_its_state(stack: Stack, replicas: list[Process]) -> None:
    """bot.tracker_store keeps the session's opening, its slots and its last turns: a turn costs the same at
    message 3 and message 300, and the conversation goes on across replicas as before."""
    from tests.bot.test_tracker_store import MAX_TURNS

    sender = f"replicas-{uuid.uuid4()}"
    first, second = replicas
    _say(stack, first, sender, "what is quelvanti indicated for (0)")
    slot = {"event": "slot", "name": "session_started_metadata", "value": {"carried": "over"}}
    response = httpx.post(
        f"{_url(first)}/conversations/{sender}/tracker/events",
        json=slot,
        params={"token": stack.rasa_token},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    texts = [f"{QUESTIONS[n % len(QUESTIONS)]} ({n})" for n in range(1, MAX_TURNS + 5)]
    for n, text in enumerate(texts):
        _say(stack, (first, second)[n % 2], sender, text)

    tracker = _tracker(stack, second, sender)
    events = tracker["events"]
    assert [turn[0] for turn in _turns(events)] == texts[-MAX_TURNS:]
    assert [e["event"] for e in events[:2]] == ["action", "session_started"]
    assert tracker["slots"]["session_started_metadata"] == {"carried": "over"}
    for turn in _turns(events):
        assert turn[1] == "action_reply" and turn[-1] == "action_listen" and "bot" in turn, turn


def test_the_api_client_sends_the_request_id_as_a_header(stack: Stack, replicas: list[Process]) -> None:
    client = RasaClient([_url(replicas[0])], stack.actions_url, 30, token=stack.rasa_token)
    sender = f"replicas-{uuid.uuid4()}"
    try:
        assert client.send(sender, QUESTIONS[0], request_id="req-from-api-0002").payloads
        assert client.send(sender, QUESTIONS[1], request_id="<not an id>").payloads
    finally:
        client.close()
    user_events = [e for e in _tracker(stack, replicas[0], sender)["events"] if e["event"] == "user"]
    assert [e["metadata"].get("request_id") for e in user_events] == ["req-from-api-0002", None]


def test_the_api_client_spreads_messages_and_fails_over(stack: Stack, replicas: list[Process]) -> None:
    dead = f"http://127.0.0.1:{_free_port()}"
    urls = [_url(p) for p in replicas]
    client = RasaClient([dead, *urls], stack.actions_url, 30, token=stack.rasa_token)
    sender = f"replicas-{uuid.uuid4()}"
    try:
        for text in QUESTIONS:
            turn = client.send(sender, text)
            assert turn.payloads
        answered = client.answered_by_replica()
        assert answered[dead] == 0
        assert answered[urls[0]] >= 1 and answered[urls[1]] >= 1, answered
        assert sum(answered.values()) == len(QUESTIONS)
        ready, detail = client.rasa_ready()
        assert ready and detail.startswith("2/3 replicas ready"), detail
    finally:
        client.close()
    texts = [e["text"] for e in _tracker(stack, replicas[1], sender)["events"] if e["event"] == "user"]
    assert texts == QUESTIONS


def test_a_stopped_replica_leaves_the_conversation_to_the_other(stack: Stack, replicas: list[Process]) -> None:
    client = RasaClient([_url(p) for p in replicas], stack.actions_url, 30, token=stack.rasa_token)
    sender = f"replicas-{uuid.uuid4()}"
    try:
        client.send(sender, QUESTIONS[0])
        client.send(sender, QUESTIONS[1])
        replicas[1].stop()
        client.send(sender, QUESTIONS[2])
        client.send(sender, QUESTIONS[3])
    finally:
        client.close()
    texts = [e["text"] for e in _tracker(stack, replicas[0], sender)["events"] if e["event"] == "user"]
    assert texts == QUESTIONS
