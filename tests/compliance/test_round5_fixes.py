"""Issue 8, round 5: the kinds of miss round 5 showed, in wordings of our own (round 5 itself is now a dev set)."""

from __future__ import annotations

import pytest

from compliance import Route, assess


@pytest.mark.parametrize(
    "text",
    [
        # rechallenge titles and interaction co-reports
        "Recurrent angioedema upon rechallenge with quelvarimab",
        "Relapsing myocarditis on re-exposure to Quelvanti: a case report",
        "Suspected interaction between quelvarimab and tacrolimus resulting in acute kidney injury",
        "A drug interaction between Quelvanti and valproate leading to thrombocytopenia",
        # events outside every vocabulary, tied to the product by time or by the patient
        "Two weeks after the first dose of quelvarimab, granulomatous frobnitis was diagnosed.",
        "She had been on Quelvanti for five months when eosinophilic zorbitis was first noted.",
        "Case report: localized panniculitis-like zorbitis in a woman on quelvarimab",
        # asking whether to report presupposes the event
        "swelling of both ankles in a pt 6 weeks into QLV, do I need to report this?",
        "pt on quelvanti with new floaters in one eye, is this reportable?",
        # a consequence of the event is not its cause
        "knee pain so bad since her last QLV shot that the stairs are impossible",
    ],
)
def test_reports_are_flagged(text: str) -> None:
    a = assess(text)
    assert a.adverse_event and a.route is Route.AE_TRIAGE, [f.rule for f in a.findings]


@pytest.mark.parametrize(
    "text",
    [
        # a condition the writer seeks care for, with nothing tying it to the product
        "I have acid reflux, are there any alternatives to omeprazole?",
        "My daughter has pink eye, when should we see a doctor?",
        "I've got gout. Would Quelvanti help with that?",
        "Just diagnosed with asthma, which questions should I ask at my next visit?",
        # the other drug's indication, before the product is started
        "Can we start QLV while he is still on isoniazid for latent TB?",
        # idioms and everyday children
        "my kids won't stop playing Minecraft, any tips for screen time?",
        "is it worth buying a car seat on sale for the baby?",
    ],
)
def test_questions_and_chatter_are_not_reports(text: str) -> None:
    a = assess(text)
    assert not a.adverse_event and not a.off_label, [f.rule for f in a.findings]


@pytest.mark.parametrize(
    "text",
    [
        "any data on combining Quelvanti with lithium?",
        "pt is on lisinopril daily, anything to watch when we add qlv?",
        "switching a pt from Cosentyx to quelvarimab, do we still give the week 0 and week 4 doses?",
    ],
)
def test_questions_naming_another_drug_reach_the_bot(text: str) -> None:
    a = assess(text)
    assert a.route is Route.PASS, [f.rule for f in a.findings]


@pytest.mark.parametrize(
    "text",
    [
        "my pt has had tinnitus since starting quelvanti, would a hearing test help?",
        "he developed hives after his second QLV dose, should we give an antihistamine?",
    ],
)
def test_care_questions_tied_to_the_product_stay_reports(text: str) -> None:
    assert assess(text).adverse_event


def test_is_it_ok_for_a_child_is_still_a_pediatric_request() -> None:
    assert assess("is it ok for a 12 year old?").off_label
