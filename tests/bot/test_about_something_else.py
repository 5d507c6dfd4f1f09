"""Heldout11's off-domain misses fixed by a general rule (bot/eval/heldout11.yml, scored blind once): a question
that neither names nor refers to the product and uses more words no product question uses than words only
product questions use is about something else, whatever topic the model leans to."""

from __future__ import annotations

import pytest

from bot.routing import Parse, Route, Thresholds, judge
from bot.similarity import ExampleIndex
from content_library import ContentLibrary

LIBRARY = ContentLibrary()
INDEX = ExampleIndex.from_library(LIBRARY)
POINT = Thresholds.load()


def _confident(text: str, intent: str) -> Parse:
    return Parse(text, ((intent, 0.95), ("out_of_scope", 0.05)))


@pytest.mark.parametrize(
    "text, intent",
    [
        ("how long can leftover pasta sit at room temperature", "ask_room_temperature"),
        ("what's the half-life of uranium", "ask_pharmacokinetics"),
        ("any contraindications for mixing ammonia and bleach when cleaning", "ask_contraindications"),
    ],
)
def test_another_subject_gets_the_out_of_scope_reply(text: str, intent: str) -> None:
    assert len(INDEX.foreign_words(text)) > len(INDEX.domain_words(text))
    decision = judge(_confident(text, intent), LIBRARY, INDEX, POINT)
    assert decision.route is Route.CHITCHAT and "about something else" in decision.reason


@pytest.mark.parametrize(
    "text, intent",
    [
        # the product referred to without its name: the pen, the patient, "it" as the drug
        ("pt left the pen in the kitchen overnight, still usable?", "ask_room_temperature"),
        ("does it affect male fertility", "novel_question"),
        ("how long can it stay at room temperature?", "ask_room_temperature"),
    ],
)
def test_a_product_question_in_other_words_is_judged_as_one(text: str, intent: str) -> None:
    decision = judge(_confident(text, intent), LIBRARY, INDEX, POINT)
    assert "about something else" not in decision.reason
