"""Structural recall nets: lab values, relayed and non-native reports, special situations in persona styles."""

from __future__ import annotations

import pytest

from compliance import assess

REPORTS = [
    "platelet count fell from 245 to 38 after the third dose",
    "Outpatient labs on a patient receiving quelvarimab: ANC 0.8 x10^9/L, repeat 0.7",
    "Bilirubin 4.2 two weeks after her second qlv injection",
    "BP 170/100 at every visit since the loading dose, previously normotensive",
    "pt called back re: her shot - says she's been peeing blood since Tuesday, no pain",
    "the lady is having since 2 week the stomach very bad after qlv",
    "sinus infxn #3 since loading dose, on abx again",
    "new lichen planus lesions in the mouth, started about 6 wks into treatment",
    "new patchy hair loss on the scalp around wk 8, alopecia areata?",
    "o2 sat 87% on room air, pt on quelvanti x 6 months",
]
SITUATIONS = [
    ("new MA injected the quelvanti IM in the deltoid instead of subq", "medication_error"),
    ("pt did her shot weekly instead of every 8 weeks", "medication_error"),
    ("pt called, she's been pumping and giving the milk to her baby since restarting the shots", "lactation"),
    ("Erythrodermic psoriasis patient was given Quelvanti during his admission; he improved.", "off_label_use"),
    ("patient not respond to qlv, after 6 month the psoriasis is same", "lack_of_efficacy"),
]
NOT_REPORTS = [
    "if a patient's creatinine rises above 2.0 do we need to hold the dose?",
    "Pt's baseline labs: ALT 22, creatinine 0.8, platelets 240 - ok to start quelvanti next week?",
    "pt's A1c is 7.2 from type 2 diabetes for 10 yrs, any concern with qlv?",
    "request a starter pen for a new quelvanti patient",
    "Patient has had no infections and no injection site reactions after 4 doses.",
    "we have a new patient with plaque psoriasis starting in 2 weeks, what is the loading schedule?",
    "my patient's plaques are much better since the second dose, PASI 90 at week 16",
]


@pytest.mark.parametrize("text", REPORTS)
def test_structural_report_flagged(text: str) -> None:
    assert assess(text).to_dict()["adverse_event"] is True


@pytest.mark.parametrize(("text", "situation"), SITUATIONS)
def test_persona_special_situation(text: str, situation: str) -> None:
    assert situation in assess(text).to_dict()["special_situations"]


@pytest.mark.parametrize("text", NOT_REPORTS)
def test_structural_not_report(text: str) -> None:
    assert assess(text).to_dict()["adverse_event"] is False


def test_lab_value_is_not_a_dose() -> None:
    r = assess(
        "Serum creatinine increased from 0.9 to 2.1 mg/dL in a patient on Quelvanti for three months"
    ).to_dict()
    assert r["adverse_event"] is True
    assert "medication_error" not in r["special_situations"]


def test_developed_condition_is_not_off_label_use() -> None:
    r = assess(
        "Patient lost vision after uveitis developed on quelvarimab; the vision loss is permanent."
    ).to_dict()
    assert "off_label_use" not in r["special_situations"]
