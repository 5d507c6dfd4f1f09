"""docker-compose.yml stays consistent with the code: services, images, commands, ports and settings."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from api.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]
API_SERVICES = ("api", "worker", "beat")


def command_of(service: str) -> str:
    command = SERVICES[service]["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_the_production_stack_has_every_service() -> None:
    assert set(SERVICES) == {"postgres", "redis", "rasa", "action-server", "api", "worker", "beat"}


def test_images_are_official_or_built_from_official_images() -> None:
    assert SERVICES["postgres"]["image"].startswith("postgres:")
    assert SERVICES["redis"]["image"].startswith("redis:")
    assert SERVICES["rasa"]["image"].startswith("rasa/rasa:3.6.21")
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
    for service in API_SERVICES:
        assert SERVICES[service]["build"] == "."


def test_long_running_services_have_health_checks() -> None:
    for name in ("postgres", "redis", "action-server", "rasa", "api", "worker"):
        assert "healthcheck" in SERVICES[name], name


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
    for service in ("worker", "beat"):
        assert "-A api.worker" in command_of(service)
    assert importlib.util.find_spec("api.worker") is not None
    actions = command_of("action-server")
    assert "--actions bot.actions" in actions and "--port 5055" in actions
    assert (ROOT / "bot/actions/__init__.py").exists()


def test_rasa_uses_the_files_and_ports_the_code_uses() -> None:
    rasa = command_of("rasa")
    for path in re.findall(r"(bot/\S+\.yml)", rasa):
        assert (ROOT / path).exists(), path
    assert "--port 5005" in rasa and "--enable-api" in rasa
    assert "models/quelvanti.tar.gz" in rasa
    assert "quelvanti.tar.gz" in (ROOT / "Makefile").read_text()
    endpoint = SERVICES["rasa"]["environment"]["ACTION_ENDPOINT_URL"]
    assert urlparse(endpoint).hostname == "action-server" and urlparse(endpoint).port == 5055
    assert "${ACTION_ENDPOINT_URL}" in (ROOT / "bot/endpoints.yml").read_text()
