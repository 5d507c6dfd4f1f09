"""Shapes that blind round 14 (evals/compliance/round14_held.jsonl, scored once) found missed, fixed by general
rules; tested here in other wordings, with the fail-closed side of each new exception."""

from __future__ import annotations

import pytest

from compliance import Route, assess


@pytest.mark.parametrize(
    "text",
    [
        # literature titles: event and drug as a pair, a temporal association, a signal, an "associated with" drug
        "Pemphigoid and quelvarimab: an unusual association",
        "Temporal association of acute pancreatitis with an influenza vaccine and quelvarimab given days apart",
        "Alopecia areata reported with quelvarimab in a spontaneous reporting database (12 cases).",
        "Dystonia associated with anti-IL-23 therapy (quelvarimab): a case report",
        # a named condition right after the product
        "patient with quelvanti develop Churg-Strauss syndrome after the second pen",
        # the same fail-closed side: a headache after the product, asked about with a painkiller
        "Is it OK to take ibuprofen for the headache she got after her Quelvanti shot?",
    ],
)
def test_reported(text: str) -> None:
    a = assess(text)
    assert a.route is Route.AE_TRIAGE, a.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        # switching and sequencing logistics
        "What gap is recommended between the final Taltz injection and starting quelvarimab?",
        "Moving from QLV to guselkumab because of coverage - should we wait one dosing interval?",
        "Could QLV be started while the patient is still tapering off prednisone?",
        # co-use and monitoring questions
        "Can calcipotriol ointment go on near the QLV injection site on the same day?",
        "how often should CBC be checked when azathioprine is combined with quelvarimab?",
        "Is there an interaction between Quelvanti and tacrolimus? Stable on it for years.",
        "NB-UVB three times a week - fine to continue with quelvanti?",
        # where a patient comes from is no illness; a test's name is no event
        "Patient grew up in a TB-endemic region, IGRA negative. Is prophylaxis needed before QLV?",
        "Pt on methotrexate - do we need more frequent LFT checks once QLV starts?",
        # a painkiller for a headache, asked while on the product
        "Can I take paracetamol for a headache while I'm on Quelvanti?",
    ],
)
def test_reaches_the_assistant(text: str) -> None:
    a = assess(text)
    assert a.route is Route.PASS, a.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        "my wifi extender is not working again",
        "we overdosed on christmas movies this weekend, what should we watch next?",
        "my cat scratches the sofa every day, how do I stop it",
    ],
)
def test_everyday_text_is_nothing(text: str) -> None:
    a = assess(text)
    assert a.route is Route.PASS and not a.adverse_event and not a.off_label, a.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        "my patient overdosed on her insulin last night and is now on QLV",
        "Can we shorten the interval to every 6 weeks?",
        "The patient had been stable on QLV until lithium was added; tremor followed.",
    ],
)
def test_fail_closed_side(text: str) -> None:
    a = assess(text)
    assert a.route is not Route.PASS, a.to_dict()
