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


def test_a_list_request_and_ordinals_split_into_asks() -> None:
    from bot.routing import _asks_on_its_own, parts

    listed = "Quick ones:\n- dose for maintenance\n- how to store it"
    assert parts(listed)[-2:] == ["dose for maintenance", "how to store it"]
    need = "send me the PI and the patient brochure"
    assert all(_asks_on_its_own(need, p) for p in parts(need)[1:])
    ordinals = "Pt is 40. Firstly, is he eligible? Secondly, what's the loading schedule?"
    assert all(_asks_on_its_own(ordinals, p) for p in parts(ordinals)[1:])
    # one question with a conjunction stays one ask
    assert not _asks_on_its_own("safety and efficacy data please", "efficacy data please")
