"""The API's one settings class: nothing else in api/ reads the environment."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SERVICE_TOKEN = "dev-service-token-change-me"
DEV_SECRET_KEY = "dev-secret-key-change-me"
REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Deployment settings, read from the environment (or a .env file) once."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["dev", "test", "production"] = "dev"
    database_url: str = f"sqlite:///{REPO_ROOT / 'var' / 'hcp.db'}"
    redis_url: str = "redis://127.0.0.1:6379/0"
    celery_queue: str = Field(default="hcp", pattern=r"^[\w.-]{1,60}$")
    rasa_url: str = "http://127.0.0.1:5005"
    action_server_url: str = "http://127.0.0.1:5055"
    rasa_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    content_dir: Path | None = None
    max_message_chars: int = Field(default=2000, ge=1, le=20000)
    service_token: SecretStr = SecretStr(DEV_SERVICE_TOKEN)
    secret_key: SecretStr = SecretStr(DEV_SECRET_KEY)
    # Staff sessions: cookies are Secure outside dev and test (HTTPS in production).
    session_cookie_name: str = "hcp_staff"
    # Review-queue SLA, counted in business hours of the medical team's time zone.
    review_sla_novel_hours: float = Field(default=4.0, gt=0, le=200)
    review_sla_medical_information_days: float = Field(default=1.0, gt=0, le=30)
    business_timezone: str = "America/New_York"
    business_day_start_hour: int = Field(default=9, ge=0, le=23)
    business_day_end_hour: int = Field(default=17, ge=1, le=24)
    # Outbound e-mail (SLA escalations, reviewer answers to HCPs who left the chat).
    smtp_host: str | None = None
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    mail_from: str = "medical-information@quelvanti.example"
    # A chat whose widget has not polled for this long is treated as closed (answers go by e-mail).
    chat_open_seconds: int = Field(default=30, ge=5, le=3600)
    public_base_url: str = "http://127.0.0.1:8000"

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> Settings:
        """Outside development and tests, the shipped placeholder secrets must be replaced."""
        if self.environment == "production":
            defaults = {
                "SERVICE_TOKEN": self.service_token.get_secret_value() == DEV_SERVICE_TOKEN,
                "SECRET_KEY": self.secret_key.get_secret_value() == DEV_SECRET_KEY,
            }
            unset = [name for name, is_default in defaults.items() if is_default]
            if unset:
                raise ValueError(f"set {', '.join(unset)}: default secrets are refused in production")
        return self

    @property
    def cookie_secure(self) -> bool:
        """Session cookies are sent over HTTPS only in production."""
        return self.environment == "production"

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL with the driver this service uses."""
        url = self.database_url
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read on first use."""
    return Settings()
