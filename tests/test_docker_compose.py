"""docker-compose.yml stays consistent with the code: services, images, commands, ports and settings."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from api.settings import Settings, content_queue_of
from scripts.stack import Ports, rasa_server

ROOT = Path(__file__).resolve().parent.parent
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]
API_SERVICES = ("api", "worker", "beat", "content-worker")
RASA_SERVICES = ("rasa", "rasa-2")
BOT_SERVICES = (*RASA_SERVICES, "action-server")


def command_of(service: str) -> str:
    command = SERVICES[service]["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_the_production_stack_has_every_service() -> None:
    assert set(SERVICES) == {
        "postgres", "redis", "rasa", "rasa-2", "action-server", "api", "worker", "beat", "content-worker",
    }  # fmt: skip


def test_images_are_official_or_built_from_official_images() -> None:
    assert SERVICES["postgres"]["image"].startswith("postgres:")
    assert SERVICES["redis"]["image"].startswith("redis:")
    for service in RASA_SERVICES:
        assert SERVICES[service]["build"] == {"context": ".", "dockerfile": "bot/rasa.Dockerfile"}
    rasa_image = (ROOT / "bot/rasa.Dockerfile").read_text()
    assert "FROM rasa/rasa:3.6.21-full\n" in rasa_image
    lock = (ROOT / "bot/requirements.lock").read_text().splitlines()
    for pin in re.findall(r"\b([a-z0-9-]+==[0-9.]+)", rasa_image):  # what the image adds, as the lock pins it
        assert pin in lock, pin
    rasa_version = next(
        line for line in (ROOT / "bot/requirements.lock").read_text().splitlines() if line.startswith("rasa==")
    )
    assert rasa_version == "rasa==3.6.21"
    sdk = (ROOT / "bot/Dockerfile").read_text()
    assert "FROM rasa/rasa-sdk:3.6.2\n" in sdk
    assert "rasa-sdk==3.6.2" in (ROOT / "bot/requirements.lock").read_text()
    assert (ROOT / "Dockerfile").read_text().startswith("# ") and "FROM python:3.11-slim" in (
        ROOT / "Dockerfile"
    ).read_text()
    for service in ("api", "worker", "beat"):
        assert SERVICES[service]["build"] == "."
    content = SERVICES["content-worker"]["build"]
    assert content == {"context": ".", "dockerfile": "api/content/Dockerfile"}
    assert "FROM python:3.11-slim\n" in (ROOT / content["dockerfile"]).read_text()


def test_every_service_restarts_and_has_a_health_check() -> None:
    for name, service in SERVICES.items():
        assert service.get("restart") in ("unless-stopped", "always"), name
        check = service.get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), name


def test_only_the_api_publishes_a_port_and_the_bot_sits_on_an_internal_network() -> None:
    assert {name for name, service in SERVICES.items() if service.get("ports")} == {"api"}
    networks = COMPOSE["networks"]
    internal = {name for name, network in networks.items() if (network or {}).get("internal")}
    assert internal == {"backend"}
    for name in (*BOT_SERVICES, "postgres", "redis"):
        assert SERVICES[name]["networks"] == ["backend"], name
        assert "network_mode" not in SERVICES[name], name
    assert set(SERVICES["api"]["networks"]) == {"backend", "edge"}


def test_rasa_and_the_action_server_need_their_tokens() -> None:
    for name in RASA_SERVICES:
        env = SERVICES[name]["environment"]
        for secret in ("RASA_TOKEN", "ACTION_SERVER_TOKEN"):
            assert re.fullmatch(rf"\$\{{{secret}:\?.+\}}", env[secret]), (name, secret)
        # The wrapper adds --auth-token from RASA_TOKEN: the token is never in a command line.
        assert SERVICES[name]["entrypoint"] == ["python", "-m", "bot.rasa_server"]
        assert "auth-token" not in command_of(name)
        assert "RASA_TOKEN" in " ".join(SERVICES[name]["healthcheck"]["test"])
    action_env = SERVICES["action-server"]["environment"]
    assert re.fullmatch(r"\$\{ACTION_SERVER_TOKEN:\?.+\}", action_env["ACTION_SERVER_TOKEN"])
    dockerfile = (ROOT / "bot/Dockerfile").read_text()
    assert 'ENTRYPOINT ["python", "-m", "bot.action_server"]' in dockerfile
    assert "bot.channels.TokenRestInput" in (ROOT / "bot/credentials.yml").read_text()
    assert "rest:" not in (ROOT / "bot/credentials.yml").read_text(), "Rasa's own rest channel has no auth"


def test_the_action_server_image_imports_no_rasa() -> None:
    # rasa/rasa-sdk has rasa_sdk but not rasa: the wrapper and what it imports must not need it.
    for path in ("bot/action_server.py", "bot/tokens.py", *map(str, (ROOT / "bot/actions").glob("*.py"))):
        tree = ast.parse((ROOT / path).read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not [name for name in imported if name == "rasa" or name.startswith("rasa.")], path


def test_every_variable_the_bot_config_reads_is_set_by_compose_and_by_the_local_stack() -> None:
    wanted: set[str] = set()
    for path in ("bot/endpoints.yml", "bot/credentials.yml"):
        values = yaml.safe_dump(yaml.safe_load((ROOT / path).read_text()))  # without the comments
        wanted |= set(re.findall(r"\$\{(\w+)\}", values))
    assert {"RASA_TOKEN", "ACTION_SERVER_TOKEN", "RASA_REDIS_HOST", "ACTION_ENDPOINT_URL"} <= wanted
    local = rasa_server(Ports(), ROOT / "var" / "log", redis_url="redis://127.0.0.1:6379/3")
    for name in RASA_SERVICES:
        assert wanted <= set(SERVICES[name]["environment"]), (name, wanted - set(SERVICES[name]["environment"]))
    assert wanted <= set(local.env), wanted - set(local.env)
    assert local.env["RASA_REDIS_DB"] == "3"


def test_trackers_and_locks_are_shared_in_redis() -> None:
    endpoints = yaml.safe_load((ROOT / "bot/endpoints.yml").read_text())
    # Rasa's Redis store, bounded (bot/tracker_store.py): each Rasa container must be able to import it.
    assert endpoints["tracker_store"]["type"] == "bot.tracker_store.BoundedRedisTrackerStore"
    assert endpoints["lock_store"]["type"] == "bot.lock_store.AtomicRedisLockStore"
    for name in RASA_SERVICES:
        assert SERVICES[name]["environment"]["RASA_REDIS_HOST"] == "redis"
        assert SERVICES[name]["environment"]["PYTHONPATH"] == "/app"
        assert "./bot:/app/bot:ro" in SERVICES[name]["volumes"]


def test_the_replicas_profile_adds_a_second_identical_rasa() -> None:
    assert SERVICES["rasa-2"]["profiles"] == ["replicas"]
    assert "profiles" not in SERVICES["rasa"]
    assert command_of("rasa-2") == command_of("rasa")
    assert SERVICES["rasa-2"]["environment"] == SERVICES["rasa"]["environment"]
    rasa_urls = SERVICES["api"]["environment"]["RASA_URLS"]
    assert rasa_urls.startswith("${RASA_URLS:-") and "http://rasa:5005" in rasa_urls


def test_no_rasa_service_sends_telemetry() -> None:
    for name in BOT_SERVICES:
        assert SERVICES[name]["environment"]["RASA_TELEMETRY_ENABLED"] == "false", name


def test_api_environment_names_only_real_settings_and_the_right_ports() -> None:
    fields = {name.upper() for name in Settings.model_fields}
    for service in API_SERVICES:
        env = SERVICES[service]["environment"]
        assert set(env) <= fields, set(env) - fields
        assert env["ENVIRONMENT"] == "production"
        assert urlparse(env["RASA_URL"]).hostname == "rasa"
        assert urlparse(env["RASA_URL"]).port == 5005
        assert urlparse(env["ACTION_SERVER_URL"]).port == 5055
        assert urlparse(env["REDIS_URL"]).hostname == "redis"
        assert "@postgres:5432/" in env["DATABASE_URL"]
        for secret in ("SERVICE_TOKEN", "SECRET_KEY"):
            assert re.fullmatch(rf"\$\{{{secret}:\?.+\}}", env[secret]), (
                "secrets must be required, never defaulted"
            )


def test_commands_point_at_code_that_exists() -> None:
    api = command_of("api")
    assert "alembic -c api/alembic.ini upgrade head" in api
    module, factory = re.search(r"uvicorn (\S+):(\S+) --factory", api).groups()  # type: ignore[union-attr]
    assert callable(getattr(importlib.import_module(module), factory))
    assert (ROOT / "api/alembic.ini").exists()
    for service in ("worker", "beat", "content-worker"):
        assert "-A api.worker" in command_of(service)
    assert importlib.util.find_spec("api.worker") is not None
    actions = command_of("action-server")
    assert "--actions bot.actions" in actions and "--port 5055" in actions
    assert (ROOT / "bot/action_server.py").exists() and (ROOT / "bot/rasa_server.py").exists()
    assert (ROOT / "bot/actions/__init__.py").exists()


def test_content_releases_have_their_own_worker_and_shared_files() -> None:
    worker = command_of("content-worker")
    assert f"--queues {content_queue_of(Settings().celery_queue)}" in worker and "--concurrency 1" in worker
    assert "--queues" not in command_of("worker")  # the safety tasks' worker never takes a training
    assert worker.index("alembic") < worker.index("api.content seed") < worker.index("celery")
    env = SERVICES["content-worker"]["environment"]
    shared = "content-data:/app/var"
    assert shared in SERVICES["content-worker"]["volumes"]
    assert env["CONTENT_EXPORT_DIR"] == "/app/var/content" and env["CONTENT_MODELS_DIR"] == "/app/var/models"
    for name in ("action-server", *RASA_SERVICES):
        assert f"{shared}:ro" in SERVICES[name]["volumes"], name
        assert SERVICES[name]["depends_on"]["content-worker"]["condition"] == "service_healthy", name
    assert SERVICES["action-server"]["environment"]["CONTENT_DIR"] == "/app/var/content/live"
    assert "content-data" in COMPOSE["volumes"]


def test_rasa_uses_the_files_and_ports_the_code_uses() -> None:
    rasa = command_of("rasa")
    assert "run" not in rasa.split(), "bot.rasa_server adds `run` itself"
    for path in re.findall(r"(bot/\S+\.yml)", rasa):
        assert (ROOT / path).exists(), path
    assert "--port 5005" in rasa and "--enable-api" in rasa
    assert "--model var/models/live.tar.gz" in rasa  # the live release's model; seeded from the built one
    assert "--model /app/models/quelvanti.tar.gz" in command_of("content-worker")
    assert "quelvanti.tar.gz" in (ROOT / "Makefile").read_text()
    endpoint = SERVICES["rasa"]["environment"]["ACTION_ENDPOINT_URL"]
    assert urlparse(endpoint).hostname == "action-server" and urlparse(endpoint).port == 5055
    assert "${ACTION_ENDPOINT_URL}" in (ROOT / "bot/endpoints.yml").read_text()
