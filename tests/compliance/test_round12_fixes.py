"""Shapes that blind round 12 (evals/compliance/round12_held.jsonl, scored once) found missed, fixed by general
rules; tested here in other wordings, with the fail-closed side of each new exception."""

from __future__ import annotations

import pytest

from compliance import Route, assess


@pytest.mark.parametrize(
    "text",
    [
        # a clinician's terse note and event shorthand
        "M 70s, QLV maint, new ITP",
        "TTP 2 wks post quelva #2, held",
        "QLV pt, DKA, wk 14. Holding.",
        # lay wordings
        "quelvanti cleared my skin but now zero sense of taste",
        "since the QLV shot i keep coughing up blood",
    ],
)
def test_reported(text: str) -> None:
    a = assess(text)
    assert a.route is Route.AE_TRIAGE, a.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        # switching in either direction, sequencing, monitoring with another drug, co-prescribing
        "After discontinuing QLV, how many weeks before starting Skyrizi?",
        "How long after the last Humira injection should the first QLV dose be given?",
        "If a patient stops quelvanti, when can Tremfya be started?",
        "Any information on patients with an inadequate response to Taltz who then switched to QLV?",
        "Should LFTs be checked more often when QLV is given with methotrexate?",
        "Co-prescribing question: quelvanti and tacrolimus at the same time, allowed or not?",
        "Has quelvarimab been studied together with home phototherapy?",
        # a plain question about the product is no terse note
        "pt wants to know if quelvanti causes weight gain",
    ],
)
def test_passes(text: str) -> None:
    a = assess(text)
    assert a.route is Route.PASS, a.to_dict()


@pytest.mark.parametrize(
    "text, value",
    [
        ("we have a patient aged ninety-four on the list", "ninety-four"),
        ("At ninety-one, she prefers paper instructions.", "ninety-one"),
        ("can someone who is ninety-six manage the pen?", "ninety-six"),
        ("is there a rep who covers the 60614 ZIP code?", "60614"),
    ],
)
def test_pii_removed(text: str, value: str) -> None:
    assert value.lower() not in assess(text).redacted_text.lower()


@pytest.mark.parametrize(
    "text, kept",
    [("Is Rennie better taken with food?", "Rennie"), ("How do I clean my FreeStyle Libre?", "Libre")],
)
def test_product_names_are_not_names(text: str, kept: str) -> None:
    assert kept in assess(text).redacted_text
