"""Shapes that blind round 16 (evals/compliance/round16_held.jsonl, scored once) found missed, fixed by general
rules; tested here in other wordings, with the fail-closed side of each new exception."""

from __future__ import annotations

import pytest

from compliance import Route, assess


@pytest.mark.parametrize(
    "text",
    [
        # a patient on the product who had something no vocabulary names, or a clinician's abbreviation
        "quick note: a patient on quelvanti came back with PRES after dose 3, neuro is involved",
        "one of our patients on QLV told me last week that he had IgAV. we want to report it",
        # a diagnosis after a short history of symptoms; a diagnosis after 'no other medical history'
        "A 55-year-old man receiving quelvarimab was admitted with a 5-day history of fever and was diagnosed "
        "with Lemierre syndrome.",
        "A woman with no relevant past history was diagnosed with lichen planopilaris during therapy with "
        "quelvarimab.",
    ],
)
def test_reported(text: str) -> None:
    assert assess(text).route is Route.AE_TRIAGE, assess(text).to_dict()


@pytest.mark.parametrize(
    "text",
    [
        # pre-treatment vignettes: comorbidities and other drugs' own doses
        "Case before initiation: male, 51, epilepsy (levetiracetam 500 mg), asthma. Is quelvanti suitable?",
        "Pre-biologic checklist: pt has psoriatic nails and gout; on colchicine 500 mcg and allopurinol 300 mg. "
        "Planning Quelvanti at weeks 0 and 4. Anything missing?",
        "pt had BCG as a baby, IGRA positive, planning quelvanti. treat latent TB first?",
        "Pt on omalizumab for severe chronic urticaria; starting QLV. Same day injections ok?",
        "If my patient is moving from Taltz to QLV, what's the earliest I can give the first QLV pen?",
    ],
)
def test_pass(text: str) -> None:
    assert assess(text).route is Route.PASS, assess(text).to_dict()


@pytest.mark.parametrize(
    "text",
    [
        "one patient on quelvanti had some questions about storage, can you send the leaflet?",
        "patient on quelvanti had a great response, clear at week 16",
    ],
)
def test_what_a_patient_had_that_is_no_event(text: str) -> None:
    assert assess(text).route is Route.PASS, assess(text).to_dict()


@pytest.mark.parametrize(
    "text",
    [
        # the fail-closed side: the product's own overdose, a positive IGRA on the product, a new condition
        "she injected 300 mg of quelvanti by mistake",
        # another drug named just before the product's own overdose: the dose is still the product's
        "she is on methotrexate and got 300 mg of quelvanti",
        "on methotrexate, 300 mg quelvanti given",
        "pt on QLV for a year, IGRA now positive on the annual screen",
        "Pre-biologic checklist question: pt developed gout after starting quelvanti, anything else to check?",
    ],
)
def test_fail_closed_side(text: str) -> None:
    assert assess(text).route is Route.AE_TRIAGE, assess(text).to_dict()


@pytest.mark.parametrize(
    "text",
    [
        "The Naranjo score of 7 indicated a probable relationship between quelvarimab and the agranulocytosis.",
        "WHO-UMC assessment supported quelvarimab as the culprit drug for the bullous pemphigoid.",
        "Transverse myelitis followed the yellow fever vaccine in a woman maintained on quelvarimab.",
        "Mail goes to skr. poczt. 118, 00-950 Warszawa",
    ],
)
def test_causality_vaccine_co_reports_and_polish_post_boxes(text: str) -> None:
    a = assess(text)
    if "poczt" in text:
        assert "118" not in a.redacted_text and "00-950" not in a.redacted_text, a.redacted_text
    else:
        assert a.route is Route.AE_TRIAGE, a.to_dict()


def test_a_question_about_a_relationship_is_no_report() -> None:
    assert assess("Is there a probable relationship between quelvarimab and liver failure?").route is Route.PASS


@pytest.mark.parametrize(
    "text",
    [
        # consumer questions: a sign of a condition, a long-standing condition, the writer's own condition
        "is a stiff neck a sign of meningitis or am i overthinking it",
        "had migraines since my teens, do they get worse with age?",
        "Is quelvanti ok with my type 2 diabetes?",
    ],
)
def test_consumer_questions_pass(text: str) -> None:
    assert assess(text).route is Route.PASS, assess(text).to_dict()


@pytest.mark.parametrize(
    "text",
    [
        "my rash after the QLV shot, is it a sign of infection?",
        "Is quelvanti safe with my rash that started after the first dose?",
        "had headaches since my 20s, much worse since starting quelvanti",
    ],
)
def test_consumer_questions_tied_to_the_product_are_reports(text: str) -> None:
    assert assess(text).route is Route.AE_TRIAGE, assess(text).to_dict()


@pytest.mark.parametrize(
    "text",
    [
        "how do i improve my reaction speed in games",
        "the fans' reaction to the new stadium",
        "signs of a failing alternator in an old honda",
        "my son's ipad keeps crashing, how do i restart it",
    ],
)
def test_everyday_figures_pass(text: str) -> None:
    assert assess(text).route is Route.PASS, assess(text).to_dict()


@pytest.mark.parametrize(
    "text",
    [
        "FYI: QLV -> AGEP (onset ~6 days). Held.",
        "my patient on quelvarimab now has Hashimoto's, we stopped the pens",
        "after her second quelvanti injection she is getting quinsy",
        "patient on quelvanti now with CVST, admitted",
    ],
)
def test_eponyms_and_abbreviations_are_reported(text: str) -> None:
    assert assess(text).route is Route.AE_TRIAGE, assess(text).to_dict()
