"""ActionReply, run as the action server runs it (Rasa virtualenv: `rasa_sdk` is installed there)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.reply import ActionReply, previous_topics

# What an HCP might send for each intent: the judgement also checks the text against the item's examples.
TEXTS = {
    "ask_storage": "how should quelvanti be stored",
    "ask_efficacy_week16": "pasi 90 rate at week 16 for quelvanti",
    "greet": "hello",
    "goodbye": "bye",
    "thank": "thanks",
    "bot_challenge": "are you a bot",
    "out_of_scope": "what's the weather tomorrow",
}


def tracker_for(intent: str, confidence: float = 0.93, text: str | None = None) -> Tracker:
    return Tracker(
        sender_id="conversation-1",
        slots={},
        latest_message={
            "text": TEXTS.get(intent, "q") if text is None else text,
            "intent": {"name": intent, "confidence": confidence},
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def _run(dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
    """The action as the action server awaits it."""
    return asyncio.run(ActionReply().run(dispatcher, tracker, domain))


def run(intent: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = _run(dispatcher, tracker_for(intent), domain={})
    return dispatcher.messages, events


def run_text(intent: str, text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = _run(dispatcher, tracker_for(intent, text=text), domain={})
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


def test_an_unanswerable_product_question_is_routed_to_review() -> None:
    messages, _ = run_text("novel_question", "does quelvanti raise liver enzymes")
    assert [m["custom"]["route"] for m in messages] == ["review"]
    assert messages[0]["custom"]["topic"] == "review_followup"


def test_two_part_question_gets_both_answers_in_order() -> None:
    tracker = tracker_for("ask_dosing", 0.5, "What's the dose, and how should it be stored?")
    tracker.latest_message["intent_ranking"] = [
        {"name": "ask_dosing", "confidence": 0.5},
        {"name": "ask_storage", "confidence": 0.4},
    ]
    dispatcher = CollectingDispatcher()
    _run(dispatcher, tracker, domain={})
    payloads = [m["custom"] for m in dispatcher.messages]
    assert [p["topic"] for p in payloads] == ["dosing", "storage"]
    assert all(p["route"] == "answered" and p["approval_code"].startswith("QLV-US-") for p in payloads)


def test_a_confident_parse_unlike_the_items_questions_is_not_answered() -> None:
    messages, _ = run_text("ask_room_temperature", "how do i get red wine out of a couch cushion")
    # Never the storage answer: the domain gate's reply, or review when a reference question is close enough.
    assert [m["custom"]["topic"] for m in messages] in (["out_of_scope"], ["review_followup"])
    assert messages[0]["custom"]["route"] in ("chitchat", "review")


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
        _run(CollectingDispatcher(), tracker, domain={})
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.actions.reply"]
    assert lines == ["action_reply request_id=req-0123456789 intent=ask_storage"]
    assert "stored" not in lines[0]  # the message text is never logged


def test_previous_topics_are_the_answers_to_the_message_before() -> None:
    events = [
        {"event": "user", "text": "how do I store it"},
        {"event": "bot", "data": {"custom": {"route": "answered", "topic": "storage"}}},
        {"event": "user", "text": "and the dose?"},
        {"event": "bot", "data": {"custom": {"route": "answered", "topic": "dosing"}}},
        {"event": "bot", "data": {"custom": {"route": "answered", "topic": "isi"}}},
        {"event": "user", "text": "what about in pregnancy?"},
    ]
    assert previous_topics(events) == ("dosing",)
    assert previous_topics(events[:1]) == ()
    review = [
        *events[:2],
        {"event": "user", "text": "x"},
        {"event": "bot", "data": {"custom": {"route": "review"}}},
    ]
    assert previous_topics([*review, {"event": "user", "text": "y"}]) == ()


def test_parts_are_classified_by_rasa_and_a_failed_parse_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parse endpoint is a real HTTP server here (aiohttp), answering as Rasa's /model/parse does."""
    from aiohttp import web

    from bot.actions.part_parses import part_parses

    intents = {"How should it be stored": "ask_storage", "what is the dose": "ask_dosing"}

    async def parse(request: web.Request) -> web.Response:
        assert request.query.get("token") == "t0ken"
        text = (await request.json())["text"]
        intent = intents.get(text, "novel_question")
        return web.json_response(
            {
                "text": text,
                "intent": {"name": intent, "confidence": 0.97},
                "intent_ranking": [{"name": intent, "confidence": 0.97}],
            }
        )

    async def scenario() -> tuple[list[str], list[str]]:
        app = web.Application()
        app.router.add_post("/model/parse", parse)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        monkeypatch.setenv("RASA_TOKEN", "t0ken")
        monkeypatch.setenv("RASA_PARSE_URL", f"http://127.0.0.1:{port}")
        try:
            ok = await part_parses("How should it be stored, and what is the dose?")
        finally:
            await runner.cleanup()
        monkeypatch.setenv("RASA_PARSE_URL", f"http://127.0.0.1:{port}")  # nothing listens there now
        failed = await part_parses("How should it be stored, and what is the dose?")
        return [p.top[0] or "" for p in ok], [p.top[0] or "" for p in failed]

    ok, failed = asyncio.run(scenario())
    assert ok == ["ask_storage", "ask_dosing"]
    assert failed == []
