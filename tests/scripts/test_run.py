"""`python -m scripts.run` (what `make run` starts) brings every part up and /readyz all green."""

from __future__ import annotations

from pathlib import Path

import httpx

from api.content import library
from api.db import session_factory
from api.settings import Settings
from scripts.run import parse_args
from scripts.stack import BotAccess, api_env
from tests.conftest import Stack


def test_the_stack_is_healthy(stack: Stack) -> None:
    assert httpx.get(f"{stack.api_url}/livez", timeout=10).status_code == 200
    response = httpx.get(f"{stack.api_url}/readyz", timeout=10)
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


def test_the_stack_serves_the_content_library_from_the_database(stack: Stack) -> None:
    with session_factory(stack.database_url)() as session:
        live = library.active_release(session)
        assert live is not None and live.model_path is not None
        count, model_path = len(live.version_ids), live.model_path
    workdir = Path(stack.database_url.removeprefix("sqlite:///")).parent
    live_dir = workdir / "content" / "live"
    assert live_dir.is_symlink() and len(list(live_dir.glob("*.yml"))) == count > 10
    # Rasa runs on the live-model link, which each activation re-points (a restarted replica loads it).
    assert library.live_model_link(workdir / "models").resolve() == Path(model_path).resolve()


def test_replicas_get_their_own_ports_and_the_api_gets_every_url() -> None:
    options = parse_args(["--rasa-port=20001", "--redis-port=20003", "--rasa-replicas=3"])
    assert options.rasa_replicas == 3
    assert options.ports.rasa_ports(3) == [20001, 20004, 20005]
    access = BotAccess("r" * 40, "a" * 40)
    env = api_env(options.ports, "redis://127.0.0.1:6379/11", access, options.rasa_replicas)
    assert env["RASA_URLS"] == "http://127.0.0.1:20001,http://127.0.0.1:20004,http://127.0.0.1:20005"
    assert env["RASA_TOKEN"] == "r" * 40 and "ACTION_SERVER_TOKEN" not in env
    assert Settings(rasa_urls=env["RASA_URLS"]).rasa_replica_urls == env["RASA_URLS"].split(",")
    assert Settings(rasa_url="http://127.0.0.1:1").rasa_replica_urls == ["http://127.0.0.1:1"]


def test_tokens_come_from_the_environment_or_are_new_for_each_run() -> None:
    assert BotAccess.from_environ({"RASA_TOKEN": "x" * 40, "ACTION_SERVER_TOKEN": "y" * 40}) == BotAccess(
        "x" * 40, "y" * 40
    )
    first, second = BotAccess.from_environ({}), BotAccess.from_environ({})
    assert first.rasa_token != second.rasa_token and len(first.rasa_token) >= 40
    assert first.rasa_token != first.action_server_token
