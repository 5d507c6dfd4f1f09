"""`python -m scripts.run` (what `make run` starts) brings every part up and /healthz all green."""

from __future__ import annotations

import httpx

from tests.conftest import Stack


def test_the_stack_is_healthy(stack: Stack) -> None:
    response = httpx.get(f"{stack.api_url}/healthz", timeout=10)
    assert response.status_code == 200, response.text
    assert {name for name, check in response.json()["checks"].items() if check["ok"]} == {
        "database",
        "redis",
        "rasa",
        "action_server",
        "content",
    }


def test_the_stack_answers_over_http(stack: Stack) -> None:
    conversation = httpx.post(f"{stack.api_url}/api/v1/conversations", json={}, timeout=10).json()
    reply = httpx.post(
        f"{stack.api_url}/api/v1/conversations/{conversation['id']}/messages",
        json={"text": "what is quelvanti indicated for"},
        headers={"X-Conversation-Secret": conversation["secret"]},
        timeout=30,
    ).json()
    assert reply["route"] == "answered"
    assert reply["replies"][0]["topic"] == "indication"
