"""Entry point of the Celery worker and beat: `celery -A api.worker worker`."""

from typing import Any

from celery import signals

from api.celery_app import configure_celery
from api.jobs import install_request_id_headers
from api.logging_config import configure_logging
from api.metrics.tasks import install_task_metrics
from api.settings import get_settings

settings = get_settings()
app = configure_celery(settings)


def _logging(**_: Any) -> None:
    """Celery leaves logging to us: JSON lines with the request id, redacted like the API's."""
    configure_logging(settings, "worker")


signals.setup_logging.connect(_logging, weak=False, dispatch_uid="hcp-worker-logging")
install_request_id_headers()
install_task_metrics()
