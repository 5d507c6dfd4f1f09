"""Metrics computed at scrape time: review queue depth and SLA breaches (database), task outcomes (Redis)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import redis
from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from api.metrics.tasks import outcomes_key
from api.review_queue.models import ReviewItem, ReviewKind, ReviewStatus

log = logging.getLogger(__name__)


class ReviewQueueCollector(Collector):
    """Items per status, and items escalated past their SLA per kind (escalation is permanent: a counter)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def collect(self) -> Iterator[Metric]:
        """Two small GROUP BY queries per scrape."""
        depth = GaugeMetricFamily("hcp_review_queue_items", "Review items by status.", labels=["status"])
        breaches = CounterMetricFamily(
            "hcp_review_sla_breaches", "Review items escalated past their SLA, by kind.", labels=["kind"]
        )
        try:
            with self.sessions() as session:
                statuses = session.execute(select(ReviewItem.status, func.count()).group_by(ReviewItem.status))
                by_status: dict[Any, int] = {status: count for status, count in statuses}
                breached = session.execute(
                    select(ReviewItem.kind, func.count())
                    .where(ReviewItem.escalated_at.is_not(None))
                    .group_by(ReviewItem.kind)
                )
                by_kind: dict[Any, int] = {kind: count for kind, count in breached}
        except SQLAlchemyError as exc:
            log.warning("review queue metrics unavailable: %s", type(exc).__name__)
            return
        for status in ReviewStatus:
            depth.add_metric([status.value], by_status.get(status, 0))
        for kind in ReviewKind:
            breaches.add_metric([kind.value], by_kind.get(kind, 0))
        yield depth
        yield breaches


class TaskOutcomeCollector(Collector):
    """Celery task outcomes as counted by every worker into Redis (api.metrics.tasks)."""

    def __init__(self, redis_url: str, queue: str) -> None:
        self.client = redis.Redis.from_url(redis_url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self.key = outcomes_key(queue)

    def collect(self) -> Iterator[Metric]:
        """One HGETALL per scrape."""
        family = CounterMetricFamily(
            "hcp_celery_tasks", "Celery task outcomes, by task and outcome.", labels=["task", "outcome"]
        )
        try:
            counts: dict[bytes, bytes] = self.client.hgetall(self.key)  # type: ignore[assignment]
        except redis.RedisError as exc:
            log.warning("task outcome metrics unavailable: %s", type(exc).__name__)
            return
        for field, value in sorted(counts.items()):
            task, _, outcome = field.decode().partition("\t")
            family.add_metric([task, outcome], float(value))
        yield family


class _ProcessMetrics(Collector):
    """This process's own metrics (the default registry), inside the app's registry."""

    def collect(self) -> Iterator[Metric]:
        """Everything the default registry holds."""
        yield from REGISTRY.collect()


def build_registry(sessions: sessionmaker[Session], redis_url: str, queue: str) -> CollectorRegistry:
    """The registry /metrics serves for one app: process metrics plus the deployment-wide collectors."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_ProcessMetrics())
    registry.register(ReviewQueueCollector(sessions))
    registry.register(TaskOutcomeCollector(redis_url, queue))
    return registry
