"""Special situations are reportable (adverse events) even without a symptom; questions are not."""

from __future__ import annotations

import pytest

from compliance import assess

POSITIVES = [
    ("My patient just found out she is 8 weeks pregnant; her last Quelvanti dose was 3 weeks ago.", "pregnancy"),
    ("My patient's partner got pregnant while he was on Quelvanti.", "pregnancy"),
    ("She has been nursing her baby while on Quelvanti for two months now.", "lactation"),
    ("Patient took a double dose of Quelvanti, 200 mg instead of 100 mg.", "overdose"),
    ("My patient accidentally injected two pens on the same day.", "overdose"),
    ("My patient has been injecting every 4 weeks instead of every 8 weeks by mistake.", "medication_error"),
    ("Patient used a pen that had been frozen in the back of the fridge.", "medication_error"),
    ("Patient injected an expired Quelvanti pen last week.", "medication_error"),
    (
        "Caregiver accidentally stuck herself with the needle while giving her husband his Quelvanti.",
        "medication_error",
    ),
    ("My patient missed her week 4 dose and only came back at week 10.", "medication_error"),
    ("Quelvanti is not working for my patient, PASI unchanged after 16 weeks.", "lack_of_efficacy"),
    ("Patient lost response to Quelvanti after a year, plaques are back.", "lack_of_efficacy"),
    ("I've been treating my patient's psoriatic arthritis with Quelvanti for 6 months.", "off_label_use"),
    ("We treated a 12 yo with severe psoriasis with Quelvanti.", "pediatric"),
    ("Teenage patient (16) has been on Quelvanti for 3 months, doing ok.", "pediatric"),
]
NEGATIVES = [
    "Can Quelvanti be used during pregnancy?",
    "My patient is planning a pregnancy next year. Should she stop Quelvanti beforehand?",
    "Is Quelvanti excreted in breast milk?",
    "My patient is breastfeeding, can she start Quelvanti?",
    "What happens if a patient injects two pens by mistake?",
    "Can the pen be frozen?",
    "The pen was left out overnight, can it still be used?",
    "What should a patient do if they miss a dose?",
    "How long does it take for Quelvanti to start working?",
    "Humira stopped working for my patient so I'm considering Quelvanti.",
    "Can Quelvanti be used for psoriatic arthritis?",
    "Can I prescribe Quelvanti for a 14-year-old?",
]


@pytest.mark.parametrize(("text", "situation"), POSITIVES)
def test_reported_situations(text: str, situation: str) -> None:
    a = assess(text)
    assert situation in [s.value for s in a.special_situations], [f.rule for f in a.findings]
    assert a.adverse_event and a.route.value == "ae_triage"


@pytest.mark.parametrize("text", NEGATIVES)
def test_questions_are_not_situations(text: str) -> None:
    a = assess(text)
    assert a.special_situations == [], [f.rule for f in a.findings]
    assert not a.adverse_event


def test_accidental_overdose_is_also_a_medication_error() -> None:
    names = [
        s.value
        for s in assess(
            "She injected her dose twice this week because she forgot she had already done it."
        ).special_situations
    ]
    assert "overdose" in names and "medication_error" in names


def test_child_getting_hold_of_a_pen_is_an_error_not_off_label_use() -> None:
    names = [
        s.value
        for s in assess("My patient's 4 year old son got hold of her pen and injected himself.").special_situations
    ]
    assert "pediatric" in names and "medication_error" in names and "off_label_use" not in names
