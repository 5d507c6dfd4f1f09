"""Review-queue tasks are idempotent and the sweep recovers sends lost while the broker was down."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from api.conversations.models import Exchange, Route
from api.db import session_factory
from api.jobs import PendingJobs
from api.review_queue.models import ReviewItem
from api.review_queue.tasks import create_review_item, sweep
from api.settings import Settings
from tests.api.conftest import start_conversation


def _novel_exchange(client: TestClient, settings: Settings) -> str:
    conversation_id = start_conversation(client)
    response = client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"text": "can patients on quelvanti fly with the pen in hand luggage"},
    )
    assert response.json()["route"] == "review"
    with session_factory(settings.sqlalchemy_url)() as session:
        return session.scalars(select(Exchange.id)).one()


def _count(settings: Settings) -> int:
    with session_factory(settings.sqlalchemy_url)() as session:
        return int(session.scalar(select(func.count()).select_from(ReviewItem)) or 0)


def test_create_review_item_is_idempotent(client: TestClient, settings: Settings) -> None:
    exchange_id = _novel_exchange(client, settings)
    first = create_review_item(exchange_id)  # a redelivery of the same task, run in-process
    second = create_review_item(exchange_id)
    assert first == second
    assert _count(settings) == 1


def test_sweep_creates_review_items_whose_task_was_lost(client: TestClient, settings: Settings) -> None:
    exchange_id = _novel_exchange(client, settings)
    create_review_item(exchange_id)
    with session_factory(settings.sqlalchemy_url)() as session:
        session.execute(update(Exchange).values(received_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)))
        session.query(ReviewItem).delete()  # as if the broker had been down when it was sent
        session.commit()
    assert _count(settings) == 0
    assert sweep() == 1
    assert _count(settings) == 1
    assert sweep() == 0


def test_a_broker_failure_does_not_fail_the_request_path(settings: Settings) -> None:
    from celery import Celery

    unreachable = Celery("down", broker="redis://127.0.0.1:1/0")
    unreachable.conf.broker_connection_retry = False
    unreachable.conf.broker_connection_max_retries = 0
    unreachable.conf.broker_transport_options = {"max_retries": 0}
    jobs = PendingJobs()
    jobs.enqueue("review_queue.create_review_item", "x")
    jobs.send(unreachable)  # logged, not raised: the row is committed and the sweep re-sends
    assert jobs.jobs == []
    assert Route.REVIEW.value == "review"
