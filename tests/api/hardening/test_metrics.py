"""Prometheus metrics (issue 7, operable): not public; requests, chat routes, compliance flags, queue, tasks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy import update

from api.auth.roles import ALL_ROLES
from api.celery_app import celery_app
from api.db import session_factory, utcnow
from api.jobs import PendingJobs
from api.main import create_app
from api.metrics.tasks import install_task_metrics
from api.models import ReviewItem
from api.settings import Settings
from tests.api.conftest import make_review_item, make_user, sign_in, start_conversation
from tests.conftest import wait_for

SWEEP = "review_queue.sweep"
TOKEN = "metrics-scraper-token-Vq8kT2wZr4Lp9sXb6NcYh3Jd"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture
def metrics_client(offline_settings: Settings) -> Iterator[TestClient]:
    settings = offline_settings.model_copy(update={"service_token": SecretStr(TOKEN)})
    with TestClient(create_app(settings)) as client:
        yield client


def scrape(client: TestClient) -> Samples:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_metrics_need_the_service_token_not_a_staff_session(
    metrics_client: TestClient, offline_settings: Settings
) -> None:
    assert metrics_client.get("/metrics").status_code == 401
    sign_in(metrics_client, make_user(offline_settings, *ALL_ROLES))
    assert metrics_client.get("/metrics").status_code == 401  # an admin's browser session is not a scraper
    assert metrics_client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_request_latency_is_by_route_template(metrics_client: TestClient) -> None:
    before = scrape(metrics_client)
    conversation_id = start_conversation(metrics_client)
    metrics_client.get(f"/api/v1/conversations/{conversation_id}/reviewer-answers")
    after = scrape(metrics_client)
    route = "/api/v1/conversations/{conversation_id}/reviewer-answers"
    count = "hcp_http_request_duration_seconds_count"
    assert (
        value(after, count, method="GET", route=route, status="200")
        == value(before, count, method="GET", route=route, status="200") + 1
    )
    assert not any(conversation_id in str(labels) for _, labels in after)  # never a series per conversation


def test_chat_routes_and_compliance_flags_are_counted(metrics_client: TestClient) -> None:
    conversation_id = start_conversation(metrics_client)
    url = f"/api/v1/conversations/{conversation_id}/messages"
    before = scrape(metrics_client)
    abusive = metrics_client.post(url, json={"text": "you are a useless stupid bot, shut up"})
    unanswered = metrics_client.post(url, json={"text": "how should the pen be stored"})  # Rasa is down here
    after = scrape(metrics_client)

    assert abusive.json()["route"] == "declined" and unanswered.json()["route"] == "review"
    for route in ("declined", "review"):
        assert (
            value(after, "hcp_chat_messages_total", route=route)
            == value(before, "hcp_chat_messages_total", route=route) + 1
        )
    flags = "hcp_compliance_flags_total"
    assert (
        value(after, flags, detector="abuse", route="declined")
        == value(before, flags, detector="abuse", route="declined") + 1
    )


def test_queue_depth_and_sla_breaches_are_read_from_the_database(
    metrics_client: TestClient, offline_settings: Settings
) -> None:
    first, _ = make_review_item(offline_settings)
    make_review_item(offline_settings)
    with session_factory(offline_settings.sqlalchemy_url)() as session:
        session.execute(update(ReviewItem).where(ReviewItem.id == first).values(escalated_at=utcnow()))
        session.commit()
    samples = scrape(metrics_client)
    assert value(samples, "hcp_review_queue_items", status="open") == 2
    assert value(samples, "hcp_review_queue_items", status="approved") == 0
    assert value(samples, "hcp_review_sla_breaches_total", kind="novel_question") == 1


def test_celery_task_outcomes_reach_the_api_scrape(metrics_client: TestClient, celery_worker: None) -> None:
    install_task_metrics()
    outcome = "hcp_celery_tasks_total"
    before = value(scrape(metrics_client), outcome, task=SWEEP, outcome="succeeded")
    jobs = PendingJobs()
    jobs.enqueue(SWEEP)
    jobs.send(celery_app)

    def counted() -> bool:
        return value(scrape(metrics_client), outcome, task=SWEEP, outcome="succeeded") == before + 1

    assert wait_for(counted, timeout=20)
