"""The process's own metrics (module-level: prometheus_client registers each name once per process)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from compliance import Assessment

REQUEST_LATENCY = Histogram(
    "hcp_http_request_duration_seconds",
    "Time to answer an HTTP request, by method, route template and status.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
CHAT_TURNS = Counter(
    "hcp_chat_messages_total",
    "HCP chat messages answered, by the route the message took (answered, review, ae_triage, ...).",
    ["route"],
)
COMPLIANCE_FLAGS = Counter(
    "hcp_compliance_flags_total",
    "Chat messages on which a compliance detector fired, by detector and compliance route.",
    ["detector", "route"],
)


def observe_chat_turn(assessment: Assessment, route: str) -> None:
    """Count one chat message: its final route and each detector that fired on it (once per message)."""
    CHAT_TURNS.labels(route=route).inc()
    for detector in sorted({finding.detector.value for finding in assessment.findings}):
        COMPLIANCE_FLAGS.labels(detector=detector, route=assessment.route.value).inc()
