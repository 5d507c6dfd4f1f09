"""The chat turn: approved answers only, every exchange recorded, novel questions queued for review."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.conversations.models import Exchange, ExchangeStatus, Reply, Route
from api.db import session_factory
from api.hcp_profiles.models import HcpProfile
from api.review_queue.models import ReviewItem
from api.settings import Settings
from content_library import ContentLibrary
from tests.api.conftest import start_chat, start_conversation
from tests.conftest import wait_for


def post(client: TestClient, conversation_id: str, text: str) -> dict[str, object]:
    response = client.post(f"/api/v1/conversations/{conversation_id}/messages", json={"text": text})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_an_answerable_question_gets_the_approved_item_verbatim(client: TestClient, settings: Settings) -> None:
    conversation_id = start_conversation(client)
    body = post(client, conversation_id, "how should quelvanti pens be stored?")
    assert body["route"] == "answered"
    replies = body["replies"]
    assert isinstance(replies, list)
    item = ContentLibrary().for_topic("storage")
    assert item is not None
    assert replies[0] == {
        "text": item.body,
        "content_id": item.id,
        "approval_code": item.approval_code,
        "version": item.version,
        "topic": "storage",
    }
    with session_factory(settings.sqlalchemy_url)() as session:
        exchange = session.scalars(select(Exchange)).one()
        assert exchange.inbound_text == "how should quelvanti pens be stored?"
        assert exchange.status is ExchangeStatus.REPLIED and exchange.route is Route.ANSWERED
        assert exchange.intent == "ask_storage" and exchange.assistant_ms is not None
        assert [(r.approval_code, r.text) for r in exchange.replies] == [(item.approval_code, item.body)]


def test_hcp_details_are_kept_on_the_engagement_profile(client: TestClient, settings: Settings) -> None:
    start_conversation(client, name="Dr. Ada Stone", npi="1234567893", specialty="dermatology", consent=True)
    with session_factory(settings.sqlalchemy_url)() as session:
        profile = session.scalars(select(HcpProfile)).one()
        assert (profile.npi, profile.specialty, profile.consent_to_contact) == ("1234567893", "dermatology", True)


def test_a_novel_question_goes_to_review_and_a_review_item_is_created(
    client: TestClient, settings: Settings
) -> None:
    conversation_id = start_conversation(client)
    body = post(client, conversation_id, "what is the wholesale acquisition cost of quelvanti per pen")
    assert body["route"] == "review"
    replies = body["replies"]
    assert isinstance(replies, list) and replies[0]["topic"] == "review_followup"
    assert replies[0]["approval_code"].startswith("QLV-US-")

    def review_item() -> ReviewItem | None:
        with session_factory(settings.sqlalchemy_url)() as session:
            return session.scalars(select(ReviewItem)).one_or_none()

    assert wait_for(review_item, timeout=30), "the Celery worker did not create the review item"
    item = review_item()
    assert item is not None and item.conversation_id == conversation_id
    assert "wholesale acquisition cost" in item.question_text


def test_greetings_get_an_approved_reply_and_no_review(client: TestClient, settings: Settings) -> None:
    conversation_id = start_conversation(client)
    body = post(client, conversation_id, "hello")
    assert body["route"] == "chitchat"
    replies = body["replies"]
    assert isinstance(replies, list) and replies[0]["topic"] == "greeting"
    with session_factory(settings.sqlalchemy_url)() as session:
        assert session.scalar(select(func.count()).select_from(ReviewItem)) == 0


def test_messages_in_a_conversation_are_numbered_in_order(client: TestClient, settings: Settings) -> None:
    conversation_id = start_conversation(client)
    for text in ("hi", "what is the dose", "thanks"):
        post(client, conversation_id, text)
    with session_factory(settings.sqlalchemy_url)() as session:
        rows = session.execute(select(Exchange.sequence, Exchange.inbound_text).order_by(Exchange.sequence)).all()
        assert [tuple(r) for r in rows] == [(1, "hi"), (2, "what is the dose"), (3, "thanks")]
        assert session.scalar(select(func.count()).select_from(Reply)) >= 3


@pytest.mark.parametrize(
    ("payload", "status", "detail"),
    [
        ({"text": "   "}, 422, "text must not be blank"),
        ({"text": "x" * 2001}, 422, "longer than 2000 characters"),
        ({"text": ""}, 422, "at least 1 character"),
        ({"message": "hi"}, 422, "text"),
        ({"text": "hi", "extra": 1}, 422, "extra"),
    ],
)
def test_bad_input_gets_a_clear_error_and_records_nothing(
    client: TestClient, settings: Settings, payload: dict[str, object], status: int, detail: str
) -> None:
    conversation_id = start_conversation(client)
    response = client.post(f"/api/v1/conversations/{conversation_id}/messages", json=payload)
    assert response.status_code == status
    assert detail in response.text
    with session_factory(settings.sqlalchemy_url)() as session:
        assert session.scalar(select(func.count()).select_from(Exchange)) == 0


def test_unknown_conversation_is_404(client: TestClient) -> None:
    response = client.post("/api/v1/conversations/nope/messages", json={"text": "dose?"})
    assert response.status_code == 404
    assert "conversation 'nope' does not exist" in response.text


def test_oversized_bodies_are_refused(client: TestClient) -> None:
    conversation_id = start_conversation(client)
    response = client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        content=b'{"text": "' + b"a" * 70000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413


def test_invalid_npi_is_rejected(client: TestClient) -> None:
    response = client.post("/api/v1/conversations", json={"hcp": {"npi": "12ab"}})
    assert response.status_code == 422
    assert "npi" in response.text


def test_the_transcript_shows_what_was_logged(client: TestClient) -> None:
    conversation_id = start_conversation(client)
    post(client, conversation_id, "how is quelvanti stored? call me at 555-201-4478")
    transcript = client.get(f"/api/v1/conversations/{conversation_id}").json()
    assert transcript["id"] == conversation_id
    [exchange] = transcript["exchanges"]
    assert exchange["sequence"] == 1 and exchange["route"] == "answered"
    assert "555-201-4478" not in exchange["text"] and "[PHONE]" in exchange["text"]
    assert exchange["replies"][0]["topic"] == "storage"
    assert client.get("/api/v1/conversations/missing").status_code == 404


def test_the_transcript_is_readable_only_with_the_conversations_secret(client: TestClient) -> None:
    conversation_id, headers = start_chat(client)
    other_id, other_headers = start_chat(client)
    url = f"/api/v1/conversations/{conversation_id}"
    assert client.post(f"{url}/messages", json={"text": "hi"}, headers=headers).status_code == 200

    missing = client.get(url)
    assert missing.status_code == 401 and "X-Conversation-Secret" in missing.text
    assert client.get(url, headers={"X-Conversation-Secret": "not-the-secret"}).status_code == 403
    assert client.get(url, headers=other_headers).status_code == 403  # another chat's secret opens nothing else
    allowed = client.get(url, headers=headers)
    assert allowed.status_code == 200
    assert [e["text"] for e in allowed.json()["exchanges"]] == ["hi"]
    assert client.get(f"/api/v1/conversations/{other_id}", headers=other_headers).json()["exchanges"] == []


def test_posting_a_message_needs_the_secret_and_records_nothing_without_it(
    client: TestClient, settings: Settings
) -> None:
    conversation_id, headers = start_chat(client)
    url = f"/api/v1/conversations/{conversation_id}/messages"
    assert client.post(url, json={"text": "what is the dose"}).status_code == 401
    wrong = {"X-Conversation-Secret": headers["X-Conversation-Secret"] + "x"}
    assert client.post(url, json={"text": "what is the dose"}, headers=wrong).status_code == 403
    with session_factory(settings.sqlalchemy_url)() as session:
        assert session.scalar(select(func.count()).select_from(Exchange)) == 0


def test_polling_for_reviewer_answers_needs_the_secret(client: TestClient) -> None:
    conversation_id, headers = start_chat(client)
    url = f"/api/v1/conversations/{conversation_id}/reviewer-answers"
    assert client.get(url).status_code == 401
    assert client.get(url, headers={"X-Conversation-Secret": "nope"}).status_code == 403
    response = client.get(url, headers=headers)
    assert response.status_code == 200 and response.json() == {"answers": []}
    assert client.get("/api/v1/conversations/missing/reviewer-answers", headers=headers).status_code == 404
