"""Turns a parsed intent into a route and the approved items to send: the one place for that logic."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from content_library import ContentItem, ContentLibrary, topic_for_intent


class Route(StrEnum):
    """Routes the assistant decides; the API adds the compliance routes in front of them."""

    ANSWERED = "answered"
    REVIEW = "review"
    CHITCHAT = "chitchat"


# Hand-written conversational intents and the system message each one gets.
CONVERSATION_INTENTS: dict[str, str] = {
    "greet": "greeting",
    "goodbye": "goodbye",
    "thank": "thanks",
    "bot_challenge": "bot_identity",
    "out_of_scope": "out_of_scope",
}

REVIEW_FOLLOWUP = "review_followup"


@dataclass(frozen=True)
class Decision:
    """What to answer and why."""

    route: Route
    items: tuple[ContentItem, ...]
    reason: str
    topic: str | None = None


def _with_fair_balance(item: ContentItem, library: ContentLibrary) -> tuple[ContentItem, ...]:
    if not item.isi_required or item.topic == "isi":
        return (item,)
    isi = library.for_topic("isi")
    return (item, isi) if isi is not None else (item,)


def _review(library: ContentLibrary, reason: str, topic: str | None = None) -> Decision:
    followup = library.system(REVIEW_FOLLOWUP)
    return Decision(Route.REVIEW, (followup,) if followup else (), reason, topic)


def decide(intent: str | None, library: ContentLibrary) -> Decision:
    """Choose the route and approved items for the intent Rasa parsed."""
    topic = topic_for_intent(intent or "")
    if topic is not None:
        item = library.for_topic(topic)
        if item is None:
            return _review(library, f"no servable approved item for topic '{topic}'", topic)
        return Decision(Route.ANSWERED, _with_fair_balance(item, library), f"intent {intent}", topic)
    if intent in CONVERSATION_INTENTS:
        item = library.system(CONVERSATION_INTENTS[intent])
        return Decision(Route.CHITCHAT, (item,) if item else (), f"intent {intent}")
    return _review(library, f"no approved content matches (intent {intent or 'none'})")
