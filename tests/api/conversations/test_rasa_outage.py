"""Stopping Rasa while the API runs loses no message: the HCP gets the approved unavailable reply."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.conversations.models import Exchange, ExchangeStatus, Route
from api.db import session_factory
from api.main import create_app
from api.review_queue.models import ReviewItem
from api.settings import Settings
from scripts.processes import free_port
from scripts.stack import Ports, Process, rasa_server, wait_ready
from tests.api.conftest import start_conversation
from tests.conftest import TEST_QUEUE, TEST_REDIS_URL, Stack, wait_for


@pytest.fixture(scope="module")
def own_rasa(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    """A second real Rasa server, using the stack's action server, that this module may stop."""
    actions_port = int(stack.actions_url.rsplit(":", 1)[1])
    ports = Ports(rasa=free_port(), actions=actions_port)  # a fixed offset could already be taken
    process = rasa_server(ports, Path(tmp_path_factory.mktemp("outage")))
    process.start()
    try:
        wait_ready([process], timeout=300, report=lambda _: None)
        yield process
    finally:
        process.stop()


def test_stopping_rasa_mid_conversation_loses_nothing(
    own_rasa: Process, sqlite_url: str, celery_worker: None
) -> None:
    rasa_url = f"http://127.0.0.1:{own_rasa.argv[own_rasa.argv.index('--port') + 1]}"
    settings = Settings(
        environment="test",
        database_url=sqlite_url,
        rasa_url=rasa_url,
        redis_url=TEST_REDIS_URL,
        celery_queue=TEST_QUEUE,
    )
    with TestClient(create_app(settings)) as client:
        conversation_id = start_conversation(client)
        url = f"/api/v1/conversations/{conversation_id}/messages"
        before = client.post(url, json={"text": "what is the recommended dose"}).json()
        assert before["route"] == "answered"

        own_rasa.stop()
        after = client.post(url, json={"text": "and how do I store it"})

    assert after.status_code == 200
    body = after.json()
    assert body["route"] == "review"
    assert [r["topic"] for r in body["replies"]] == ["unavailable"]
    assert body["replies"][0]["approval_code"].startswith("QLV-US-")
    with session_factory(settings.sqlalchemy_url)() as session:
        rows = session.scalars(
            select(Exchange).where(Exchange.conversation_id == conversation_id).order_by(Exchange.sequence)
        ).all()
        assert [(e.inbound_text, e.status) for e in rows] == [
            ("what is the recommended dose", ExchangeStatus.REPLIED),
            ("and how do I store it", ExchangeStatus.ASSISTANT_UNAVAILABLE),
        ]
        assert rows[1].route is Route.REVIEW
        unanswered_id = rows[1].id

    def queued() -> bool:
        with session_factory(settings.sqlalchemy_url)() as session:
            return (
                session.scalars(select(ReviewItem).where(ReviewItem.exchange_id == unanswered_id)).first()
                is not None
            )

    assert wait_for(queued, timeout=30), "the unanswered message must reach a human"
