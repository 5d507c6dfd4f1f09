"""Review-queue fixtures for outbound e-mail: a real local SMTP server and settings (and Celery) pointing at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.celery_app import configure_celery, task_settings
from api.settings import Settings
from tests.api.notifications.smtp_sink import SmtpSink

PUBLIC_BASE_URL = "https://hcp.quelvanti.example"


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """A real SMTP server on 127.0.0.1 collecting what it receives."""
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def mail_settings(offline_settings: Settings, smtp_sink: SmtpSink) -> Iterator[Settings]:
    """The offline settings with SMTP at the local server; the Celery app (and any test worker) uses them."""
    try:
        previous: Settings | None = task_settings()
    except RuntimeError:
        previous = None
    settings = offline_settings.model_copy(
        update={"smtp_host": smtp_sink.host, "smtp_port": smtp_sink.port, "public_base_url": PUBLIC_BASE_URL}
    )
    configure_celery(settings)
    yield settings
    if previous is not None:
        configure_celery(previous)
