"""ActionReply, run as the action server runs it (Rasa virtualenv: `rasa_sdk` is installed there)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.reply import ActionReply


def tracker_for(intent: str, confidence: float = 0.93, text: str = "q") -> Tracker:
    return Tracker(
        sender_id="conversation-1",
        slots={},
        latest_message={"text": text, "intent": {"name": intent, "confidence": confidence}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(intent: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = ActionReply().run(dispatcher, tracker_for(intent), domain={})
    return dispatcher.messages, events


def test_answer_payload_carries_traceability_and_verbatim_text() -> None:
    messages, events = run("ask_storage")
    assert events == []
    payload = messages[0]["custom"]
    assert payload["route"] == "answered"
    assert payload["topic"] == "storage"
    assert payload["approval_code"].startswith("QLV-US-")
    assert payload["version"].startswith("v")
    assert "2" in payload["text"] and "8" in payload["text"]  # the 2-8 °C storage range
    assert payload["intent"] == "ask_storage" and payload["confidence"] == 0.93


def test_fallback_is_routed_to_review() -> None:
    messages, _ = run("nlu_fallback")
    assert [m["custom"]["route"] for m in messages] == ["review"]
    assert messages[0]["custom"]["topic"] == "review_followup"


def test_every_message_is_an_approved_item() -> None:
    for intent in ("greet", "goodbye", "thank", "bot_challenge", "out_of_scope", "ask_efficacy_week16"):
        messages, _ = run(intent)
        assert messages
        for message in messages:
            assert message["custom"]["approval_code"].startswith("QLV-US-"), intent


def test_the_api_request_id_is_logged_with_the_turn(caplog: pytest.LogCaptureFixture) -> None:
    tracker = tracker_for("ask_storage", text="how should quelvanti be stored")
    tracker.latest_message["metadata"] = {"request_id": "req-0123456789"}
    with caplog.at_level(logging.INFO, logger="bot.actions.reply"):
        ActionReply().run(CollectingDispatcher(), tracker, domain={})
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.actions.reply"]
    assert lines == ["action_reply request_id=req-0123456789 intent=ask_storage"]
    assert "stored" not in lines[0]  # the message text is never logged
