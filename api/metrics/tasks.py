"""Celery task outcomes, counted by the worker's signals into Redis, so the API's scrape sees every worker."""

from __future__ import annotations

import logging
from typing import Any

import redis
from celery import signals

from api.celery_app import task_settings

log = logging.getLogger(__name__)
OUTCOMES = ("succeeded", "failed", "retried", "revoked", "internal_error")
_clients: dict[str, redis.Redis] = {}


def outcomes_key(queue: str) -> str:
    """The Redis hash of one deployment's task outcomes (fields: `task<TAB>outcome`, values: counts)."""
    return f"hcp:metrics:{queue}:task_outcomes"


def _client(url: str) -> redis.Redis:
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
    return _clients[url]


def count_outcome(task_name: str, outcome: str) -> None:
    """Add one outcome; a Redis failure loses the count, never the task."""
    settings = task_settings()
    try:
        _client(settings.redis_url).hincrby(outcomes_key(settings.celery_queue), f"{task_name}\t{outcome}", 1)
    except redis.RedisError as exc:
        log.warning("task outcome of %s not counted: %s", task_name, type(exc).__name__)


def _name(sender: Any, request: Any = None) -> str:
    name = getattr(sender, "name", None) or getattr(request, "task", None) or getattr(request, "name", None)
    return str(name or "unknown")


def _succeeded(sender: Any = None, **_: Any) -> None:
    count_outcome(_name(sender), "succeeded")


def _failed(sender: Any = None, **_: Any) -> None:
    count_outcome(_name(sender), "failed")


def _retried(sender: Any = None, request: Any = None, **_: Any) -> None:
    count_outcome(_name(sender, request), "retried")


def _revoked(sender: Any = None, request: Any = None, **_: Any) -> None:
    count_outcome(_name(sender, request), "revoked")


def _internal_error(sender: Any = None, **_: Any) -> None:
    count_outcome(_name(sender), "internal_error")


def install_task_metrics() -> None:
    """Connect the outcome counters to Celery's signals (idempotent; the worker calls it at start)."""
    signals.task_success.connect(_succeeded, weak=False, dispatch_uid="hcp-metrics-success")
    signals.task_failure.connect(_failed, weak=False, dispatch_uid="hcp-metrics-failure")
    signals.task_retry.connect(_retried, weak=False, dispatch_uid="hcp-metrics-retry")
    signals.task_revoked.connect(_revoked, weak=False, dispatch_uid="hcp-metrics-revoked")
    signals.task_internal_error.connect(_internal_error, weak=False, dispatch_uid="hcp-metrics-internal-error")
