"""Prometheus metrics (prometheus_client): requests, chat routes, compliance flags, the review queue, Celery tasks.

In-process counters live in `definitions`; the review queue is counted from the database and Celery task
outcomes are read from Redis at scrape time, so every API process reports the whole deployment's numbers.
"""
