"""action_reply: answers every turn with approved content items looked up at run time."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.library import content_library
from bot.routing import decide

log = logging.getLogger(__name__)


class ActionReply(Action):
    """Send the current approved items for the parsed intent, each with its traceability."""

    def name(self) -> str:
        return "action_reply"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = tracker.latest_message.get("intent", {}) or {}
        # The API's request id (REST message metadata) ties this line to the API's and worker's lines.
        metadata = tracker.latest_message.get("metadata") or {}
        log.info("action_reply request_id=%s intent=%s", metadata.get("request_id"), intent.get("name"))
        decision = decide(intent.get("name"), content_library())
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
