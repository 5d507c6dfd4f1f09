"""Probes tell the truth: /livez is the process alone; /readyz (and its alias /healthz) is green only when a
model is loaded in Rasa (/status with the token), the action server, database and broker answer, and the
content library is valid."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.main import create_app
from api.settings import Settings
from scripts.processes import free_port
from scripts.stack import Ports, Process, port_open, rasa_server
from tests.conftest import STACK_REDIS_URL, Stack, wait_for

CHECKS = {"database", "redis", "rasa", "action_server", "content"}


def test_all_green_with_the_stack_running(client: TestClient) -> None:
    for path in ("/readyz", "/healthz"):
        response = client.get(path)
        body = response.json()
        assert response.status_code == 200, body
        assert set(body["checks"]) == CHECKS
        assert all(check["ok"] for check in body["checks"].values())
    assert "model " in client.get("/readyz").json()["checks"]["rasa"]["detail"]


def test_a_down_dependency_turns_readiness_red(settings: Settings) -> None:
    down = settings.model_copy(update={"rasa_url": "http://127.0.0.1:1", "redis_url": "redis://127.0.0.1:1/0"})
    with TestClient(create_app(down)) as client:
        for path in ("/readyz", "/healthz"):
            response = client.get(path)
            body = response.json()
            assert response.status_code == 503
            assert body["checks"]["rasa"]["ok"] is False
            assert body["checks"]["redis"]["ok"] is False
            assert body["checks"]["database"]["ok"] is True


def test_liveness_needs_no_dependency(staff_client: TestClient) -> None:
    # No Rasa, no action server behind this app: alive, not ready.
    assert staff_client.get("/livez").status_code == 200
    assert staff_client.get("/readyz").status_code == 503


@pytest.fixture(scope="module")
def rasa_without_a_model(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Rasa, with the stack's token, started on an empty model directory: it answers, but has no model."""
    workdir = tmp_path_factory.mktemp("no-model")
    ports = Ports(rasa=free_port(), actions=int(stack.actions_url.rsplit(":", 1)[1]))
    process: Process = rasa_server(ports, Path(workdir), model=workdir / "models", redis_url=STACK_REDIS_URL)
    (workdir / "models").mkdir()
    process.start()
    try:
        assert wait_for(port_open(ports.rasa), timeout=180, interval=1), process.log_tail()
        yield f"http://127.0.0.1:{ports.rasa}"
    finally:
        process.stop()


def test_a_rasa_without_a_model_is_not_ready(settings: Settings, rasa_without_a_model: str) -> None:
    modelless = settings.model_copy(update={"rasa_url": rasa_without_a_model})
    with TestClient(create_app(modelless)) as client:
        assert client.get("/livez").status_code == 200
        for path in ("/readyz", "/healthz"):
            response = client.get(path)
            body = response.json()
            assert response.status_code == 503, body
            rasa = body["checks"]["rasa"]
            assert rasa == {"ok": False, "detail": "0/1 replicas ready: replica 1: no model loaded"}
            assert all(body["checks"][name]["ok"] for name in CHECKS - {"rasa"})


def test_a_rasa_that_refuses_our_token_is_not_ready(settings: Settings) -> None:
    wrong = settings.model_copy(update={"rasa_token": SecretStr("not-the-token")})
    with TestClient(create_app(wrong)) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert "refused our token" in response.json()["checks"]["rasa"]["detail"]
