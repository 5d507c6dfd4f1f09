"""Heldout8's misses fixed by general rules (bot/eval/heldout8.yml, scored blind once): one common word is weak
evidence for the domain gate, inline numbered lists and "and how often?" split right, per-trial numbers go to
review."""

from __future__ import annotations

import pytest

from bot.domain_gate import off_domain
from bot.routing import Parse, Thresholds, parts
from bot.similarity import ExampleIndex, common_word
from bot.specifics import missing_fact
from content_library import ContentLibrary

INDEX = ExampleIndex.from_library(ContentLibrary())
POINT = Thresholds.load()


def _parse(text: str, in_domain_mass: float) -> Parse:
    return Parse(text, (("ask_patient_support", in_domain_mass), ("out_of_scope", 1 - in_domain_mass)))


@pytest.mark.parametrize(
    "text",
    ["Best marathon training plan for beginners?", "How do I send money to a colleague with Zelle?"],
)
def test_one_common_word_does_not_open_the_gate_when_the_model_says_everyday(text: str) -> None:
    assert INDEX.domain_words(text), "the word is in the domain lexicon: the case this rule is for"
    assert off_domain(_parse(text, 0.05), INDEX, POINT)


def test_one_common_word_with_an_in_domain_model_stays_in_domain() -> None:
    # "which insurers cover it?": the model leans in-domain; the common word must not push it out
    assert not off_domain(_parse("Which insurers cover it for plaque patients?", 0.7), INDEX, POINT)


def test_an_uncommon_domain_word_opens_the_gate() -> None:
    assert not common_word("excipients")
    assert INDEX.in_domain("what excipients are in it")


@pytest.mark.parametrize(
    "word, common", [("treated", True), ("training", True), ("sends", True), ("warfarin", False)]
)
def test_common_words(word: str, common: bool) -> None:
    assert common_word(word) is common


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1) half-life of quelvarimab 2) does it interact with warfarin", 2),
        ("Two questions: (a) can it be frozen, (b) how long to peak concentration?", 3),
        ("Were elevated transaminases seen in the trials, and how often?", 1),
    ],
)
def test_parts(text: str, expected: int) -> None:
    assert len(parts(text)) == expected, parts(text)


def test_a_bare_how_often_stays_with_its_question() -> None:
    assert parts("Were elevated transaminases seen in the trials, and how often?")[0].endswith("how often")


def test_per_trial_numbers_are_not_stated_by_the_results_item() -> None:
    body = "In the VELA-1 and VELA-2 trials, PASI 90 at week 16 ..."
    assert missing_fact("How many patients were enrolled in each trial?", ("efficacy_week16",), body) is not None
