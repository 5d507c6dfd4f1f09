"""Production refuses weak secrets, every one of them; an empty bearer token never authenticates (finding 6)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError

from api.main import create_app
from api.secret_policy import SecretPolicy, weak_secrets
from api.settings import Settings
from tests.api.hardening.support import strong_secret, strong_secrets

SECRET_FIELDS = sorted(strong_secrets())
WEAK = {
    "empty": "",
    "blank": "   ",
    "short": "k3J9x-Qm2Lp8",
    "placeholder": "please-change-me-before-going-live-0123456789",
    "one repeated character": "s" * 48,
    "two characters": "ab" * 24,
}


def test_every_secret_field_is_found() -> None:
    assert {"service_token", "secret_key"} <= set(SECRET_FIELDS)


@pytest.mark.parametrize("field", SECRET_FIELDS)
@pytest.mark.parametrize("kind", sorted(WEAK))
def test_production_refuses_a_weak_value_for_every_secret(field: str, kind: str) -> None:
    values = {**strong_secrets(), field: WEAK[kind]}
    with pytest.raises(ValidationError) as refused:
        Settings(environment="production", **values)  # type: ignore[arg-type]
    message = str(refused.value)
    assert field.upper() in message
    if WEAK[kind].strip():
        assert WEAK[kind] not in message  # the error names the setting, never its value


@pytest.mark.parametrize("field", SECRET_FIELDS)
def test_production_refuses_the_shipped_development_value(field: str) -> None:
    default = Settings.model_fields[field].default
    if not isinstance(default, SecretStr):
        pytest.skip(f"{field} has no shipped value")
    values = {**strong_secrets(), field: default.get_secret_value()}
    with pytest.raises(ValidationError, match=field.upper()):
        Settings(environment="production", **values)  # type: ignore[arg-type]


def test_production_starts_with_strong_secrets_and_development_with_the_defaults() -> None:
    assert Settings(environment="production", **strong_secrets()).environment == "production"  # type: ignore[arg-type]
    assert Settings(environment="dev").service_token.get_secret_value()


def test_a_secret_added_later_is_checked_too() -> None:
    """Whoever adds a SecretStr setting gets the check, with its own minimum if it declares a longer one."""
    from typing import Annotated

    class WithMore(Settings):
        rasa_jwt_secret: SecretStr = SecretStr("")
        signing_key: Annotated[SecretStr, SecretPolicy(min_length=64)] = SecretStr("")

    with pytest.raises(ValidationError) as refused:
        WithMore(environment="production", signing_key=SecretStr(strong_secret()), **strong_secrets())  # type: ignore[arg-type]
    assert "RASA_JWT_SECRET: empty" in str(refused.value)
    assert "SIGNING_KEY: shorter than 64 characters" in str(refused.value)
    strong = {**strong_secrets(), "rasa_jwt_secret": strong_secret(), "signing_key": strong_secret() * 2}
    assert weak_secrets(WithMore(environment="production", **strong)) == []  # type: ignore[arg-type]


@pytest.mark.parametrize("authorization", ["Bearer ", "Bearer", "bearer    ", "Basic Og==", "Bearer  x", ""])
def test_an_empty_or_wrong_bearer_token_never_authenticates(
    offline_settings: Settings, authorization: str
) -> None:
    # Even a deployment whose token is empty (possible outside production) must not open on an empty bearer.
    settings = offline_settings.model_copy(update={"service_token": SecretStr("")})
    with TestClient(create_app(settings)) as client:
        headers = {"Authorization": authorization} if authorization else {}
        response = client.post("/api/v1/moderation", json={"text": "is quelvanti safe"}, headers=headers)
        metrics = client.get("/metrics", headers=headers)
    assert response.status_code == 401, response.text
    assert metrics.status_code == 401
