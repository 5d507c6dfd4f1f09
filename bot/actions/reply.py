"""action_reply: answers every turn with approved content items looked up at run time."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.library import content_library, example_index, thresholds
from bot.actions.part_parses import part_parses
from bot.routing import Parse, judge

log = logging.getLogger(__name__)


def previous_topics(events: list[dict[str, Any]]) -> tuple[str, ...]:
    """The topics answered for the previous message of the conversation (none if it was not answered)."""
    topics: list[str] = []
    users = 0
    for event in reversed(events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                break
        elif users == 1 and event.get("event") == "bot":
            custom = (event.get("data") or {}).get("custom") or {}
            if custom.get("route") == "answered" and custom.get("topic") not in (None, "isi"):
                topics.insert(0, str(custom["topic"]))
    return tuple(topics)


class ActionReply(Action):
    """Send the approved items the assistant's judgement chose, each with its traceability."""

    def name(self) -> str:
        return "action_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        message = tracker.latest_message or {}
        intent = message.get("intent", {}) or {}
        # The API's request id (REST message metadata) ties this line to the API's and worker's lines.
        metadata = message.get("metadata") or {}
        log.info("action_reply request_id=%s intent=%s", metadata.get("request_id"), intent.get("name"))
        library = content_library()
        parse = Parse.from_rasa(message)
        parse = replace(parse, parts=await part_parses(parse.text))
        decision = judge(parse, library, example_index(library), thresholds(), previous_topics(tracker.events))
        for item in decision.items:
            dispatcher.utter_message(
                json_message={
                    **item.reply(),
                    "route": decision.route.value,
                    "intent": intent.get("name"),
                    "confidence": intent.get("confidence"),
                    "reason": decision.reason,
                }
            )
        if not decision.items:
            # No approved sentence exists for this situation: send only the route, never text.
            dispatcher.utter_message(json_message={"route": decision.route.value, "reason": decision.reason})
        return []
