"""The HCP engagement service: FastAPI app, data model, Celery tasks and web pages."""
