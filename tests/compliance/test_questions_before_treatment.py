"""Questions a writer asks before or about treatment, not reports: found through the service on blind heldout6
(bot/eval/heldout6.yml, scored once), fixed by general rules and tested here in other wordings."""

from __future__ import annotations

import pytest

from compliance import assess


@pytest.mark.parametrize(
    "text",
    [
        "pt has active cellulitis right now, should i hold off on the first dose?",
        "she has a UTI at the moment - do we delay the initial injection?",
        "my patient has shingles currently, wait with the loading dose?",
    ],
)
def test_a_condition_before_the_first_dose_is_not_a_report(text: str) -> None:
    assert assess(text).route.value == "pass"


def test_a_condition_after_doses_is_still_a_report() -> None:
    assert assess("she got cellulitis after her 3rd dose, should i hold off on the next dose?").adverse_event


@pytest.mark.parametrize(
    "text",
    [
        "My patient has compensated cirrhosis. Is there any dose modification for liver disease with QLV?",
        "pt with stage 4 CKD, does the quelvanti dosing need modifying?",
    ],
)
def test_a_condition_asked_about_for_a_dose_change_is_not_a_report(text: str) -> None:
    assert assess(text).route.value == "pass"


@pytest.mark.parametrize("text", ["what is bitcoin", "what's crypto", "explain what an NFT is"])
def test_asking_what_something_is_is_not_spam(text: str) -> None:
    assert not assess(text).abusive


@pytest.mark.parametrize("text", ["buy bitcoin now, 10x returns", "best crypto casino here, join today"])
def test_selling_it_still_is(text: str) -> None:
    assert assess(text).abusive


@pytest.mark.parametrize(
    "text",
    [
        "any pediatric data for quelvanti?",
        "is QLV safe and effective in teenagers",
        "status in kids? quelvarimab",
        "pt on oral antibiotics for a skin infection right now, should QLV initiation wait?",
        "Positive IGRA, asymptomatic. When can quelvanti be started relative to isoniazid?",
        "ciprofloxacin dose for a 25 kg child",
    ],
)
def test_label_and_timing_questions_pass(text: str) -> None:
    assert assess(text).route.value == "pass", assess(text).findings


def test_being_on_the_product_still_makes_it_a_report() -> None:
    assert assess("pt currently on QLV, got cellulitis, should the next dose wait?").adverse_event
