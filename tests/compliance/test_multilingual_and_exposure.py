"""Reports in other languages, baseline comparisons, caregiver exposure, stated other causes, dose requests."""

from __future__ import annotations

import pytest

from compliance import assess
from compliance.findings import Route

FOREIGN_REPORTS = [
    "Mi paciente presentó fiebre y tos después de la segunda dosis de Quelvanti.",
    "Il mio paziente ha avuto una forte eruzione cutanea dopo la seconda dose.",
    "Mon patient a eu de la fièvre après la deuxième dose de Quelvanti.",
    "meine Patientin bekam Fieber nach der zweiten Spritze.",
    "A paciente teve febre depois da dose de Quelvanti.",
    "Pt on quelvanti, después de la dosis tuvo náuseas y vómitos, please advise.",
]


@pytest.mark.parametrize("text", FOREIGN_REPORTS)
def test_foreign_language_reports(text: str) -> None:
    result = assess(text)
    assert result.route is Route.AE_TRIAGE, result.to_dict()


def test_foreign_hospitalisation_is_serious() -> None:
    d = assess("La paziente è stata ricoverata per febbre alta dopo la terza dose di Quelvanti.").to_dict()
    assert d["adverse_event"] and "hospitalisation" in d["seriousness"]


def test_spanish_possessive_mi_is_not_myocardial_infarction() -> None:
    d = assess("Mi paciente presentó fiebre después de la dosis de Quelvanti.").to_dict()
    assert "myocardial infarction" not in str(d["findings"])
    assert assess("pt had an MI last week on qlv").to_dict()["adverse_event"]


def test_foreign_words_do_not_fuzzy_match_names() -> None:
    # "Fatima" is one letter away from "fatiga": foreign wordings are kept out of the typo index.
    d = assess("Shared patient with Dr Ahmed: Mrs Fatima Khan, rash after dose.").to_dict()
    assert "Fatima" not in d["redacted_text"]


@pytest.mark.parametrize(
    "text",
    ["¿La fiebre es un efecto secundario frecuente de Quelvanti?", "Qué dosis de Quelvanti se recomienda?"],
)
def test_foreign_questions_are_not_reports(text: str) -> None:
    assert not assess(text).to_dict()["adverse_event"]


@pytest.mark.parametrize(
    "text",
    [
        "ALT baseline was normal before starting Quelvanti, now 3x ULN.",
        "Her LFTs were fine at baseline before starting qlv; after dose 3 her AST is 4x ULN.",
    ],
)
def test_baseline_comparison_keeps_current_value(text: str) -> None:
    assert assess(text).route is Route.AE_TRIAGE


def test_pretreatment_abnormal_baseline_is_not_a_report() -> None:
    assert not assess("Baseline ALT was 3x ULN from fatty liver, is it ok to start quelvanti?").to_dict()[
        "adverse_event"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Patient's partner, who is not a patient of mine, accidentally got the Quelvanti pen in his hand "
        "while helping her inject.",
        "Her husband accidentally injected his thumb with her Quelvanti pen while helping her.",
        "The patient's daughter, who is not a patient of mine, got a needle-stick from the used quelvanti pen.",
    ],
)
def test_caregiver_exposure_is_medication_error(text: str) -> None:
    assert "medication_error" in assess(text).to_dict()["special_situations"]


@pytest.mark.parametrize(
    "text",
    [
        "Pt's headache started after a car accident, not related to the drug obviously",
        "my pt on qlv has neck pain since a bike crash last week, nothing to do with the drug.",
    ],
)
def test_stated_other_cause_is_not_a_report(text: str) -> None:
    assert not assess(text).to_dict()["adverse_event"]


def test_other_cause_does_not_hide_dose_linked_event() -> None:
    assert assess("Pt's headache started after the second dose, not after the car accident").to_dict()[
        "adverse_event"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Can I give 200 mg loading dose for faster clearance?",
        "Could we give an extra loading dose at week 2 for a faster response?",
    ],
)
def test_dose_request_is_off_label_not_overdose(text: str) -> None:
    d = assess(text).to_dict()
    assert d["off_label"] and not d["adverse_event"]


def test_given_overdose_with_question_is_still_reported() -> None:
    d = assess("She got 200 mg instead of 100 mg last week, can I give the next dose as usual?").to_dict()
    assert "overdose" in d["special_situations"]


def test_missed_dose_stated_stays_medication_error() -> None:
    # labelled.jsonl m0220: a patient's missed dose told as what happened is a medication error.
    d = assess("My patient missed her week 4 dose and only came back at week 10.").to_dict()
    assert "medication_error" in d["special_situations"]
    assert not assess("What is the missed dose guidance?").to_dict()["adverse_event"]


@pytest.mark.parametrize(
    "text",
    [
        "My patient missed her week 12 dose - what's the guidance on missed doses?",
        "pt forgot her q8w dose by 2 weeks, what now?",
        "he skipped his injection while abroad. when should he take it, does the schedule shift?",
        "she is a month late for her maintenance injection - restart loading or just carry on?",
    ],
)
def test_missed_dose_asked_about_is_a_label_question(text: str) -> None:
    # No event and nothing extra given: the approved missed-dose instructions answer it (blind3 d0088, heldout6).
    d = assess(text).to_dict()
    assert d["route"] == "pass" and not d["special_situations"], d["findings"]


@pytest.mark.parametrize(
    "text",
    [
        "she missed a dose in march and flared badly, restart loading?",
        "he forgot he had already injected and used a second pen, what now?",
        "missed her dose last month and now has hives all over, what should we do?",
    ],
)
def test_missed_dose_with_worsening_extra_dose_or_event_is_reported(text: str) -> None:
    assert assess(text).route.value == "ae_triage"
