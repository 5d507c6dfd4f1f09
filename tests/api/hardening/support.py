"""Helpers for the hardening tests (issue 7): PII values to look for, production settings with strong secrets."""

from __future__ import annotations

import base64
import os

from pydantic import SecretStr

from api.settings import Settings

# The values a test writes into requests and expects in no response and no log line.
PII_NAME = "Johnathan Smithfield"
PII_MRN = "MRN 48213377"


def strong_secret() -> str:
    """32 random bytes, url-safe base64: long enough for every secret and a valid Fernet key too."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def strong_secrets() -> dict[str, str]:
    """A strong value for every secret setting (whoever added it)."""
    return {
        name: strong_secret()
        for name, info in Settings.model_fields.items()
        if isinstance(info.default, SecretStr) or "SecretStr" in str(info.annotation)
    }


def production_settings(base: Settings, **overrides: object) -> Settings:
    """`base` (a test database and broker) as a production deployment with strong secrets."""
    values: dict[str, object] = {
        "database_url": base.database_url,
        "redis_url": base.redis_url,
        "celery_queue": base.celery_queue,
        "rasa_url": base.rasa_url,
        "action_server_url": base.action_server_url,
        **strong_secrets(),
        **overrides,
    }
    return Settings(environment="production", **values)  # type: ignore[arg-type]
