"""/healthz reports every dependency, green when all are up."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings


def test_all_green_with_the_stack_running(client: TestClient) -> None:
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert set(body["checks"]) == {"database", "redis", "rasa", "action_server", "content"}
    assert all(check["ok"] for check in body["checks"].values())


def test_a_down_dependency_turns_health_red(settings: Settings) -> None:
    down = settings.model_copy(update={"rasa_url": "http://127.0.0.1:1", "redis_url": "redis://127.0.0.1:1/0"})
    with TestClient(create_app(down)) as client:
        response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["rasa"]["ok"] is False
    assert body["checks"]["redis"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
