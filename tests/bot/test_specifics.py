"""An answer must state the specific fact asked: else review, never the nearest item's different claim."""

from __future__ import annotations

import pytest

from bot.routing import Parse, Route, Thresholds, judge
from bot.similarity import ExampleIndex
from bot.specifics import missing_fact
from content_library import ContentLibrary

LIBRARY = ContentLibrary()
INDEX = ExampleIndex.from_library(LIBRARY)
POINT = Thresholds(confidence=0.5, margin=0.2, similarity=0.0, domain=0.5)


def _answer(text: str, intent: str) -> Route:
    return judge(Parse(text, ((intent, 0.95), ("ask_dosing", 0.01))), LIBRARY, INDEX, POINT).route


@pytest.mark.parametrize(
    "text, intent",
    [
        ("What share of patients reached PASI 75 at week 16?", "ask_efficacy_week16"),
        ("PASI-100 rates for quelvanti?", "ask_efficacy_week16"),
        ("Is there 3-year data for quelvarimab?", "ask_efficacy_long_term"),
        ("how does qlv do at 2 years?", "ask_efficacy_long_term"),
        ("Response rate at week 12?", "ask_efficacy_week16"),
        ("How does Quelvanti compare with Tremfya at week 16?", "ask_efficacy_week16"),
        ("Any data in nail psoriasis?", "ask_efficacy_week16"),
        ("What is the NDC for the pen?", "ask_how_supplied"),
        ("J-code for quelvanti?", "ask_how_supplied"),
    ],
)
def test_a_fact_the_item_does_not_state_goes_to_review(text: str, intent: str) -> None:
    assert _answer(text, intent) is Route.REVIEW


@pytest.mark.parametrize(
    "text, intent",
    [
        ("What was the PASI 90 response at week 16?", "ask_efficacy_week16"),
        ("IGA 0/1 rates vs placebo?", "ask_efficacy_week16"),
        ("Is PASI 90 maintained at week 52?", "ask_efficacy_long_term"),
        ("what about after 1 year?", "ask_efficacy_long_term"),
        # the vignette's durations and comparisons are context, not the fact asked
        (
            "My pt has had psoriasis for 30 years and was on Humira for 2 yrs. What's the 52-week data?",
            "ask_efficacy_long_term",
        ),
        (
            "Compared with adalimumab every other week, how often is quelvarimab injected in maintenance?",
            "ask_dosing",
        ),
        ("how is it supplied?", "ask_how_supplied"),
    ],
)
def test_a_fact_the_item_states_is_answered(text: str, intent: str) -> None:
    assert _answer(text, intent) is Route.ANSWERED


def test_a_two_part_answer_states_a_fact_in_either_item() -> None:
    assert (
        missing_fact(
            "side effects, and PASI 90 at week 16?",
            ["adverse_reactions", "efficacy_week16"],
            "common adverse reactions ... 72% achieved PASI 90 at week 16",
        )
        is None
    )


@pytest.mark.parametrize(
    "text, intent",
    [
        ("week 16 response in Hispanic patients?", "ask_efficacy_week16"),
        ("does smoking change how well it works at week 16", "ask_efficacy_week16"),
        ("what was the baseline DLQI in the trials", "ask_efficacy_week16"),
        ("how many patients dropped out because of side effects", "ask_adverse_reactions"),
        ("is there a yearly maximum on the copay card", "ask_copay"),
        ("what's the osmolality of the solution", "ask_excipients_latex"),
        ("how many pens come in a box", "ask_how_supplied"),
        ("any antibody response data with the flu vaccine", "ask_vaccines"),
    ],
)
def test_a_detail_the_item_does_not_state_goes_to_review(text: str, intent: str) -> None:
    assert _answer(text, intent) is Route.REVIEW


@pytest.mark.parametrize(
    "text, intent",
    [
        ("how well is skin clearance kept up long term", "ask_efficacy_long_term"),
        ("can the pen stay in its carton in the fridge", "ask_storage"),
    ],
)
def test_everyday_words_near_the_details_still_get_the_answer(text: str, intent: str) -> None:
    assert _answer(text, intent) is Route.ANSWERED
