"""Shapes that blind round 11 (evals/compliance/round11_held.jsonl, scored once) found missed, fixed by general
rules; tested here in other wordings, with the fail-closed side of each new exception."""

from __future__ import annotations

import pytest

from compliance import Route, assess


@pytest.mark.parametrize(
    "text",
    [
        # a title with a dash lead-in, a title asking about the signal after a colon
        "Clinical images — bullous pemphigoid on quelvarimab",
        "Sweet syndrome temporally linked to quelvarimab: a new signal?",
        # which of two drugs caused it is asked, not whether it happened
        "The team cannot agree whether naproxen or QLV triggered the interstitial nephritis",
        # a patient told the pharmacist, a patient who stopped the product after the event
        "A quelvanti patient told me about crushing chest pain two weeks after the first dose.",
        "Counselled a man who stopped QLV on his own after a severe pulmonary embolism.",
        # lab chains, values in words, a low temperature
        "creatinine going from 0.8 to 1.4 to 2.6 since starting quelvarimab",
        "Routine monitoring in a QLV patient: lipase four times normal at week 10.",
        "After the QLV injection in clinic: temperature 34.9 C, warmed and observed.",
        # dosing and device errors
        "the pen was shaken hard before her QLV injection, is that a problem?",
        "i think i messed up my quelvanti shot, i used a pen left in the car for a week",
        "the QLV pen discharged into the air when the cap came off, so no dose was received",
        # lack of effect in other words
        "Secondary loss of response on quelvarimab at month 9.",
        "QLV patient, doses on time, only 15% improvement in PASI at week 16",
        "Is it a bad batch of quelvanti? The plaques return in week 6 of every cycle.",
        # lay wordings, a journey post, an emoji ending the report before the question
        "QLV journey thread, week 10: my pee is the colour of cola now",
        "my gums bleed every morning since quelvanti 😩 anyone else?",
    ],
)
def test_reported(text: str) -> None:
    a = assess(text)
    assert a.route is Route.AE_TRIAGE, a.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        "Is the week 0/4 loading still needed when coming straight off Taltz onto QLV?",
        "Insurance is forcing a change from Skyrizi to quelvanti; any monitoring during the transition?",
        "Would you expect additive immunosuppression from azathioprine plus quelvarimab?",
        "Has QLV been studied in combination with apremilast? Anything published?",
        "Can quelvanti be added on top of leflunomide, or should leflunomide be tapered first?",
        "My patient takes allopurinol for another condition. Any reason not to start QLV?",
        "Any photosensitivity concern combining NB-UVB with quelvanti?",
        "Household member is an MDR-TB contact on levofloxacin; any interaction with QLV?",
        # a bare topic typed as a query stays a topic
        "upper respiratory infections on quelvanti",
    ],
)
def test_passes(text: str) -> None:
    a = assess(text)
    assert a.route is Route.PASS, a.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        # combining with light therapy for faster clearance stays an off-label request
        "can I combine quelvanti with NB-UVB for faster clearance?",
        # a patient's new event stays reported even when "another" is in the message
        "pt on QLV got another bout of cellulitis, third one this year",
    ],
)
def test_still_flagged(text: str) -> None:
    assert assess(text).route is not Route.PASS
