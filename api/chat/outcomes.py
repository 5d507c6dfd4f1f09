"""Turns what the assistant relayed into a verified outcome: route plus approved items."""

from __future__ import annotations

from dataclasses import dataclass

from api.assistant.rasa_client import AssistantTurn
from api.content.service import ApprovedContent
from api.conversations.models import ExchangeStatus, Route
from content_library import ContentItem

# The routes the assistant itself may choose; the compliance routes are decided before it.
ASSISTANT_ROUTES = frozenset({Route.ANSWERED, Route.REVIEW, Route.CHITCHAT})


@dataclass(frozen=True)
class Outcome:
    """How one message was answered."""

    route: Route
    items: tuple[ContentItem, ...]
    reason: str
    status: ExchangeStatus = ExchangeStatus.REPLIED
    intent: str | None = None
    confidence: float | None = None
    assistant_ms: float | None = None


def _system_items(content: ApprovedContent, topic: str) -> tuple[ContentItem, ...]:
    item = content.system(topic)
    return (item,) if item is not None else ()


def compliance_outcome(
    content: ApprovedContent, route: Route, system_topic: str, reason: str, answer_topic: str | None = None
) -> Outcome:
    """The approved system reply for a route the compliance layer decided, after an optional answer item."""
    answer = content.for_topic(answer_topic) if answer_topic else None
    leading = (answer,) if answer is not None else ()
    return Outcome(route, leading + _system_items(content, system_topic), reason)


def review_outcome(content: ApprovedContent, reason: str, **extra: object) -> Outcome:
    """A question a medical information specialist must answer."""
    return Outcome(Route.REVIEW, _system_items(content, "review_followup"), reason, **extra)  # type: ignore[arg-type]


def unavailable_outcome(content: ApprovedContent, reason: str) -> Outcome:
    """The assistant is down: the message is kept and routed to a human."""
    return Outcome(
        Route.REVIEW,
        _system_items(content, "unavailable"),
        reason[:300],
        status=ExchangeStatus.ASSISTANT_UNAVAILABLE,
    )


def outcome_from_turn(turn: AssistantTurn, content: ApprovedContent) -> Outcome:
    """Verify every item the assistant chose; anything not currently approved goes to review."""
    first = turn.payloads[0]
    intent = first.get("intent") if isinstance(first.get("intent"), str) else None
    confidence = first.get("confidence") if isinstance(first.get("confidence"), int | float) else None
    extra = {"intent": intent, "confidence": confidence, "assistant_ms": turn.elapsed_ms}
    try:
        route = Route(str(first.get("route")))
    except ValueError:
        route = Route.REVIEW
    if route not in ASSISTANT_ROUTES:
        return review_outcome(content, f"assistant chose a route it may not: {first.get('route')!r}", **extra)
    items: list[ContentItem] = []
    for payload in turn.payloads:
        if "content_id" not in payload:
            continue
        item = content.verify(payload)
        if item is None:
            return review_outcome(
                content, f"item {payload.get('content_id')!r} is not currently approved", **extra
            )
        items.append(item)
    reason = str(first.get("reason") or "")[:300]
    if not items and route is not Route.REVIEW:
        return review_outcome(content, f"no approved item for route {route.value}", **extra)
    return Outcome(route, tuple(items), reason, **extra)  # type: ignore[arg-type]
