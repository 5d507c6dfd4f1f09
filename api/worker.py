"""Entry point of the Celery worker and beat: `celery -A api.worker worker`."""

from api.celery_app import configure_celery
from api.settings import get_settings

app = configure_celery(get_settings())
