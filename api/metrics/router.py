"""GET /metrics: the Prometheus exposition, for the scraper holding the service token (never public)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from api.deps import require_service_token

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_service_token)])


@router.get("/metrics")
def metrics(request: Request) -> Response:
    """Request latency, chat routes, compliance flags, review queue depth, SLA breaches, task outcomes."""
    registry: CollectorRegistry = request.app.state.metrics_registry
    body = generate_latest(registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
