"""The API's one settings class: nothing else in api/ reads the environment."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from cryptography.fernet import Fernet
from limits import parse_many
from pydantic import AfterValidator, Field, IPvAnyNetwork, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.secret_policy import weak_secrets

DEV_SERVICE_TOKEN = "dev-service-token-change-me"
DEV_SECRET_KEY = "dev-secret-key-change-me"
REPO_ROOT = Path(__file__).resolve().parent.parent
# Fernet key for verbatim text in development only (base64 of "dev-verbatim-key-change-me-00000").
DEV_VERBATIM_KEYS = "ZGV2LXZlcmJhdGltLWtleS1jaGFuZ2UtbWUtMDAwMDA="


def _rate_limits(value: str) -> str:
    parse_many(value)  # a ValueError at start-up, not at the first request
    return value


# Rate limits in the `limits` package's notation: "10/minute;100/hour".
RateLimits = Annotated[str, AfterValidator(_rate_limits)]


def content_queue_of(celery_queue: str) -> str:
    """The content-release queue beside a deployment's task queue."""
    return f"{celery_queue}.content"


class Settings(BaseSettings):
    """Deployment settings, read from the environment (or a .env file) once."""

    # Errors name the setting, never its value: the values include secrets.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", hide_input_in_errors=True)

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
    # Who may frame the brand pages and widget (CSP frame-ancestors): 'self', 'none' or https origins.
    frame_ancestors: list[str] = Field(default=["'self'"], min_length=1)
    # Logs are JSON lines on stderr, and also appended to LOG_FILE when set.
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_file: Path | None = None

    # --- Abuse limits, one message at a time, verbatim encryption (issue 7) ---
    # Kept in Redis (default: REDIS_URL). If Redis is down they fail OPEN, logged: an HCP reporting an
    # adverse event must never be turned away by a broken limiter.
    rate_limit_redis_url: str | None = None
    conversations_per_ip: RateLimits = "10/minute;100/hour"
    messages_per_conversation: RateLimits = "20/minute;200/day"
    # Review items opened (novel questions, holds, off-label requests): past these, messages wait.
    review_items_per_conversation: RateLimits = "10/day"
    review_items_per_ip: RateLimits = "50/day"
    # Peers (addresses or CIDR ranges) whose X-Forwarded-For is believed; empty: the socket peer is the client.
    trusted_proxies: list[IPvAnyNetwork] = []
    # A message waits this long for its conversation's previous one (then 429); a turn holds the lock at most
    # turn_lock_seconds (longer than the Rasa timeout), so a crashed process cannot block a conversation.
    turn_wait_seconds: float = Field(default=6.0, gt=0, le=60)
    turn_lock_seconds: float = Field(default=30.0, ge=1, le=600)
    # Fernet keys for verbatim text at rest, comma-separated: the first encrypts, all decrypt (README: rotation).
    verbatim_keys: SecretStr = SecretStr(DEV_VERBATIM_KEYS)

    # --- Only the API talks to Rasa; N Rasa replicas (issue 7) ---
    # Rasa's HTTP API (--auth-token) and its REST channel refuse calls without this token; no default, so
    # production refuses an unset one (api.secret_policy). `make run` generates one per run.
    rasa_token: SecretStr = SecretStr("")
    # Comma-separated Rasa replicas sharing one tracker and lock store; empty: RASA_URL alone.
    rasa_urls: str = ""

    # --- Drug safety: E2B(R3) ICSR submission (issue 10) ---
    # Exports are dropped here for the safety database (the AS2 gateway's pick-up point in production).
    e2b_outbound_dir: Path = REPO_ROOT / "var" / "outbound" / "e2b"
    # N.2.r.2 / N.2.r.3 message sender and receiver, and C.3.2 the sender's organisation.
    e2b_sender_id: str = Field(default="AVENDRABIO-US", min_length=1, max_length=60)
    e2b_receiver_id: str = Field(default="AVENDRABIO-SAFETYDB", min_length=1, max_length=60)
    e2b_sender_organisation: str = Field(default="Avendra Bio", min_length=1, max_length=100)

    # --- Content from the review queue: MLR approval, publish, retrain, hot swap (issue 11) ---
    # Published libraries are exported under this root (releases/N) and `live` points at the serving one:
    # the action server's CONTENT_DIR is <root>/live. Empty: content is read from CONTENT_DIR alone.
    content_export_dir: Path | None = None
    content_models_dir: Path = REPO_ROOT / "var" / "models"
    content_train_config: Path = REPO_ROOT / "config.yml"
    # The regression gate: held-out answer accuracy may drop at most this much; the item's examples must route.
    content_gate_tolerance: float = Field(default=0.03, ge=0, le=1)
    content_gate_example_rate: float = Field(default=0.9, ge=0, le=1)
    # After a swap the previous release's items stay accepted this long (replies already in flight).
    content_swap_grace_seconds: float = Field(default=30.0, ge=0, le=3600)

    @field_validator("verbatim_keys")
    @classmethod
    def _fernet_keys(cls, value: SecretStr) -> SecretStr:
        """Every verbatim key must be a Fernet key (32 url-safe base64 bytes), checked at start-up."""
        keys = [key.strip() for key in value.get_secret_value().split(",") if key.strip()]
        if not keys:
            raise ValueError("VERBATIM_KEYS needs at least one Fernet key")
        for position, key in enumerate(keys, start=1):
            try:
                Fernet(key)
            except ValueError:
                raise ValueError(f"VERBATIM_KEYS: key {position} is not a Fernet key") from None
        return value

    @model_validator(mode="after")
    def _refuse_weak_secrets(self) -> Settings:
        """In production every secret setting must be set, long and not a placeholder (api.secret_policy)."""
        if self.environment == "production":
            weak = weak_secrets(self)
            if weak:
                raise ValueError(f"weak secrets are refused in production: {'; '.join(weak)}")
        return self

    @property
    def rasa_replica_urls(self) -> list[str]:
        """Every Rasa replica the API may send a conversation to (RASA_URLS, else RASA_URL)."""
        urls = [url.strip().rstrip("/") for url in self.rasa_urls.split(",") if url.strip()]
        return urls or [self.rasa_url]

    @property
    def content_queue(self) -> str:
        """The Celery queue of content releases: trainings take minutes, so they never hold up the safety tasks."""
        return content_queue_of(self.celery_queue)

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
