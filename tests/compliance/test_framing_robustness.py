"""Classes of framing found in an untuned round: note headings, a report then a guess, lack of
efficacy without a patient word, measured percentages, bare lab names with normal values."""

from __future__ import annotations

import pytest

from compliance import assess

REPORTS = [
    # A heading names the writer; it does not make the note generic.
    "Hospital pharmacist note: neutrophils fell to 0.7 five weeks after starting quelvarimab.",
    "Re: the man on qlv - mouth ulcers for a week, began after the last shot.",
    # A report followed by a guess or a short question about it stays a report.
    "new blistering on both shins after dose 3, could this be bullous pemphigoid?",
    "swelling of her eyelids after the last pen, maybe allergic??",
    "new onset hair loss after the loading dose coincidence??",
    "Platelets 55 after the second injection, is that expected?",
    # Lack of efficacy needs no patient word in an HCP chat about the product.
    "No clinical response by week 20: PASI improvement 15%.",
    "the shots no help, plaques same as before after 6 month",
    "BSA went from 20% to 18% after four doses.",
]
NOT_REPORTS = [
    "FYI: the pharmacy changed its opening hours.",
    "Rash after the first dose, how common is that?",
    "What % of patients have injection site reactions after dose 2?",
    "Labs all normal at week 24: CBC, AST and creatinine within range.",
    "labs at week 8 fine, plt 260, ALT 22",
    "Clinical data on hair loss with quelvarimab?",
]


@pytest.mark.parametrize("text", REPORTS)
def test_reports(text: str) -> None:
    assert assess(text).adverse_event, text


@pytest.mark.parametrize("text", NOT_REPORTS)
def test_not_reports(text: str) -> None:
    assert not assess(text).adverse_event, text


def test_lack_of_efficacy_without_patient_word() -> None:
    found = assess("the medicine not work, skin same like before").to_dict()["special_situations"]
    assert "lack_of_efficacy" in found


def test_guessed_diagnosis_is_not_an_off_label_request() -> None:
    assert not assess("new bald patches on the scalp after dose 3, alopecia areata?").off_label
