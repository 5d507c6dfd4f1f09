"""A condition the patient is described with, then a question whether the product caused it: the question
presupposes the event, so it is a report (found in session 20's review for failing open)."""

from __future__ import annotations

import pytest

from compliance import Route, assess


@pytest.mark.parametrize(
    "text",
    [
        "Patient with liver failure, is quelvanti the cause?",
        "70 yo with alopecia, could this be a side effect of QLV?",
        "Woman with hives. Related to quelvanti?",
        "45-year-old man with new onset psoriatic arthritis - could it be caused by quelvarimab?",
        "pt with thrush, is the biologic to blame?",
        "female 60s with pancreatitis, a reaction to quelvanti??",
    ],
)
def test_cause_asked_of_the_described_condition_is_a_report(text: str) -> None:
    a = assess(text)
    assert a.route is Route.AE_TRIAGE, a.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        # the vignette's condition is background: nothing asks whether the product caused it
        "Patient with psoriasis, is quelvanti right for them?",
        "Patient with hepatitis B, can they start quelvanti?",
        "82-year-old with hypertension and plaque psoriasis. Any age-related considerations for quelvanti?",
        # a general question about the product as a cause, with no patient described
        "Can quelvanti cause liver failure?",
    ],
)
def test_background_and_general_questions_still_pass(text: str) -> None:
    a = assess(text)
    assert a.route is Route.PASS, a.to_dict()
