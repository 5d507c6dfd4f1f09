"""Settings refuse the shipped placeholder secrets outside development."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from api.settings import Settings
from tests.api.hardening.support import strong_secrets


def test_production_refuses_default_secrets() -> None:
    with pytest.raises(ValidationError, match="SERVICE_TOKEN: the shipped development value; SECRET_KEY"):
        Settings(environment="production")


def test_production_starts_with_real_secrets() -> None:
    settings = Settings(environment="production", **strong_secrets())  # type: ignore[arg-type]
    assert settings.environment == "production"


def test_postgres_urls_use_the_psycopg_driver() -> None:
    settings = Settings(database_url="postgresql://u@db:5432/hcp")
    assert settings.sqlalchemy_url == "postgresql+psycopg://u@db:5432/hcp"
