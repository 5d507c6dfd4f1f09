"""A request carrying the HCP's own contact details is answered, and the details are kept for the follow-up
(verbatim store only): Rasa sees the redacted text, never the number (issue 9)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.conversations.models import Exchange, Route
from api.db import session_factory
from api.settings import Settings
from api.verbatim import service as verbatim
from tests.api.conftest import start_chat
from tests.conftest import Stack, rasa_tracker

REQUEST = "Please have a rep call me at (617) 555-0134 next week"


def _exchange(settings: Settings, conversation_id: str) -> Exchange:
    with session_factory(settings.sqlalchemy_url)() as session:
        exchange: Exchange = session.scalars(
            select(Exchange).where(Exchange.conversation_id == conversation_id)
        ).one()
        return exchange


def test_a_rep_request_with_a_phone_number_is_answered_and_the_number_kept(
    client: TestClient, settings: Settings, stack: Stack
) -> None:
    conversation_id, headers = start_chat(client)
    body = client.post(
        f"/api/v1/conversations/{conversation_id}/messages", json={"text": REQUEST}, headers=headers
    )
    assert body.status_code == 200, body.text
    reply = body.json()
    assert reply["route"] == Route.ANSWERED.value
    assert [r["topic"] for r in reply["replies"]] == ["rep_or_msl_request"]
    assert reply["replies"][0]["approval_code"].startswith("QLV-US-")
    exchange = _exchange(settings, conversation_id)
    with session_factory(settings.sqlalchemy_url)() as session:
        assert verbatim.exists(session, exchange.id)
    assert "contact details kept" in (exchange.route_reason or "")
    sent = [e["text"] for e in rasa_tracker(stack.rasa_url, conversation_id)["events"] if e["event"] == "user"]
    assert sent and "555-0134" not in sent[0] and "[PHONE]" in sent[0]


def test_an_answer_without_contact_details_keeps_no_verbatim_text(client: TestClient, settings: Settings) -> None:
    conversation_id, headers = start_chat(client)
    body = client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"text": "how should quelvanti be stored"},
        headers=headers,
    )
    assert body.json()["route"] == Route.ANSWERED.value
    with session_factory(settings.sqlalchemy_url)() as session:
        assert not verbatim.exists(session, _exchange(settings, conversation_id).id)
