"""Routing of parsed intents to approved items, as the action server does it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from bot.routing import Route, decide
from content_library import DEFAULT_DIRECTORY, ContentLibrary


def test_a_topic_intent_gets_its_approved_item() -> None:
    decision = decide("ask_dosing", ContentLibrary())
    assert decision.route is Route.ANSWERED
    assert [i.topic for i in decision.items] == ["dosing"]
    assert decision.items[0].approval_code.startswith("QLV-US-")


def test_efficacy_answers_carry_the_isi_for_fair_balance() -> None:
    decision = decide("ask_efficacy_week16", ContentLibrary())
    assert [i.topic for i in decision.items] == ["efficacy_week16", "isi"]


def test_fallback_and_novel_questions_go_to_review_with_the_followup_message() -> None:
    for intent in ("nlu_fallback", "novel_question", None, "ask_nonexistent"):
        decision = decide(intent, ContentLibrary())
        assert decision.route is Route.REVIEW
        assert [i.topic for i in decision.items] == ["review_followup"]


def test_small_talk_gets_approved_system_messages() -> None:
    assert decide("greet", ContentLibrary()).items[0].topic == "greeting"
    assert decide("out_of_scope", ContentLibrary()).route is Route.CHITCHAT


def test_a_topic_whose_item_expired_goes_to_review(tmp_path: Path) -> None:
    for path in DEFAULT_DIRECTORY.glob("*.yml"):
        data = yaml.safe_load(path.read_text())
        if data["topic"] == "storage":
            data["expires_on"] = dt.date(2026, 1, 1)
        (tmp_path / path.name).write_text(yaml.safe_dump(data))
    decision = decide("ask_storage", ContentLibrary(tmp_path))
    assert decision.route is Route.REVIEW
    assert "storage" in decision.reason
