"""The API re-verifies every item the assistant names: nothing unapproved reaches an HCP."""

from __future__ import annotations

import datetime as dt

from api.assistant.rasa_client import AssistantTurn
from api.chat.outcomes import outcome_from_turn, unavailable_outcome
from api.content.service import ApprovedContent
from api.conversations.models import ExchangeStatus, Route
from content_library import ContentLibrary


def content(on: dt.date | None = None) -> ApprovedContent:
    return ApprovedContent(ContentLibrary(today=(lambda: on) if on else dt.date.today))


def payload(topic: str = "dosing", **overrides: object) -> dict[str, object]:
    item = ContentLibrary().for_topic(topic)
    assert item is not None
    return {**item.reply(), "route": "answered", "intent": f"ask_{topic}", "confidence": 0.9, **overrides}


def turn(*payloads: dict[str, object]) -> AssistantTurn:
    return AssistantTurn(payloads=payloads, elapsed_ms=12.0)


def test_a_current_item_is_served_from_the_apis_own_copy() -> None:
    outcome = outcome_from_turn(turn(payload(text="tampered text")), content())
    assert outcome.route is Route.ANSWERED
    item = ContentLibrary().for_topic("dosing")
    assert item is not None and outcome.items[0].body == item.body  # never the text on the wire
    assert outcome.intent == "ask_dosing" and outcome.assistant_ms == 12.0


def test_a_stale_approval_code_or_version_goes_to_review() -> None:
    for bad in ({"approval_code": "QLV-US-9999"}, {"version": "v7"}, {"content_id": "qlv-nothing"}):
        outcome = outcome_from_turn(turn(payload(**bad)), content())
        assert outcome.route is Route.REVIEW, bad
        assert [i.topic for i in outcome.items] == ["review_followup"]


def test_an_item_expired_since_the_assistant_chose_it_goes_to_review() -> None:
    outcome = outcome_from_turn(turn(payload()), content(on=dt.date(2031, 1, 1)))
    assert outcome.route is Route.REVIEW


def test_the_assistant_may_not_choose_a_compliance_route() -> None:
    outcome = outcome_from_turn(turn(payload(route="ae_triage")), content())
    assert outcome.route is Route.REVIEW
    assert "may not" in outcome.reason


def test_unavailable_keeps_the_message_for_a_human() -> None:
    outcome = unavailable_outcome(content(), "Rasa did not answer")
    assert outcome.route is Route.REVIEW and outcome.status is ExchangeStatus.ASSISTANT_UNAVAILABLE
    assert [i.topic for i in outcome.items] == ["unavailable"]
