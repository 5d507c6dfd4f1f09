"""A question that asks two things gets both approved answers in the order asked: the real Rasa classifies
each part (/model/parse, called by the action server), through the running stack (issue 9)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.conversations.models import Route
from tests.api.conftest import start_chat


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("How should Quelvanti be stored, and what is the dose?", ["storage", "dosing"]),
        ("Is quelvanti ok during pregnancy? also can moms breastfeed on it?", ["pregnancy", "lactation"]),
    ],
)
def test_both_answers_in_the_order_asked(client: TestClient, text: str, topics: list[str]) -> None:
    conversation_id, headers = start_chat(client)
    body = client.post(f"/api/v1/conversations/{conversation_id}/messages", json={"text": text}, headers=headers)
    assert body.status_code == 200, body.text
    reply = body.json()
    assert reply["route"] == Route.ANSWERED.value
    answered = [r["topic"] for r in reply["replies"] if r["topic"] != "isi"]
    assert answered == topics
    assert all(r["approval_code"].startswith("QLV-US-") for r in reply["replies"])
