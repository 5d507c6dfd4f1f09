"""Events from the generated terminology, drug names as drugs, and generic drug + event + link reports."""

from __future__ import annotations

import pytest

from compliance import Route, assess
from compliance.nlp.lexicon import get_lexicon

RARE_REPORTS = [
    "Two patients who were receiving quelvarimab by infusion developed duodenal ulceration.",
    "Rapidly developing hyperglycemia during treatment with quelvarimab.",
    "This report describes a case of bilateral ptosis induced by quelvarimab.",
    "Akathisia associated with quelvarimab in a patient with psoriasis.",
    "Quelvarimab-induced pericardial effusion.",
    "Hyponatremia following quelvarimab therapy.",
    "Pulmonary fibrosis during quelvarimab therapy: a case report.",
    "Quelvarimab was discontinued because of sensorineural hearing loss.",
]


def test_vocabulary_is_a_real_terminology() -> None:
    lex = get_lexicon()
    assert len(lex.terminology_events) >= 20_000
    assert len(lex.drugs) >= 10_000
    for term in ("hyponatremia", "akathisia", "pericardial effusion", "pulmonary fibrosis", "ptosis"):
        assert term in lex.terminology_events or any(term in p for v in lex.events.values() for p in v)


def test_everyday_words_are_not_terminology_events() -> None:
    lex = get_lexicon()
    for word in ("card", "bleep", "dead", "battery"):
        assert word not in lex.terminology_events


@pytest.mark.parametrize("text", RARE_REPORTS)
def test_literature_style_reports_with_rare_events_are_flagged(text: str) -> None:
    a = assess(text)
    assert a.adverse_event and a.route is Route.AE_TRIAGE
    assert any(f.rule.startswith("event:") and f.score > 0 for f in a.findings)


def test_out_of_vocabulary_title_is_flagged_for_coding() -> None:
    a = assess("Quelvarimab-induced xerodermatitic blorbnak.")
    assert a.adverse_event
    assert "unspecified event" in a.events


def test_a_disease_shaped_word_outside_every_vocabulary_is_the_event() -> None:
    # "-osis": the word's shape says it is a disease; the word itself is what PV codes
    a = assess("Quelvarimab-induced xerodermatitic blorbosis.")
    assert a.adverse_event
    assert "blorbosis" in a.events


@pytest.mark.parametrize(
    "text",
    [
        "Can quelvarimab cause hyponatremia?",
        "Is akathisia associated with Quelvanti?",
        "If a patient develops ptosis on QLV, should we stop?",
        "Before starting Quelvanti my patient had recurrent sinus infections; does that matter?",
    ],
)
def test_questions_and_hypotheticals_are_not_reports(text: str) -> None:
    assert not assess(text).adverse_event


@pytest.mark.parametrize(
    ("text", "drug"),
    [
        ("Is Quelvanti safe with Clomipramine?", "Clomipramine"),
        ("Can I take Gabapentin with Quelvanti?", "Gabapentin"),
        ("Does Quelvanti interact with Lamotrigine?", "Lamotrigine"),
    ],
)
def test_drug_names_never_become_person(text: str, drug: str) -> None:
    a = assess(text)
    assert drug in a.redacted_text
    assert "[PERSON]" not in a.redacted_text


@pytest.mark.parametrize(
    "text",
    [
        "any issues giving methotrexate alongside QLV?",
        "switching from Humira to QLV, do we need a fresh TB test?",
        "Can she get the yellow fever vaccine before starting QLV?",
        "Patient is on isoniazid for latent TB, when can she start QLV?",
        "Do we need to adjust warfarin dose when QLV is started?",
    ],
)
def test_interaction_and_switching_questions_reach_the_bot(text: str) -> None:
    a = assess(text)
    assert a.route is Route.PASS, [f.rule for f in a.findings if f.score > 0]


@pytest.mark.parametrize(
    "text",
    [
        "Pt on warfarin started QLV last month, INR now 6.2 with a GI bleed.",
        "After adding quelvarimab to her methotrexate she developed mouth ulcers and a low white count.",
        "He got the yellow fever vaccine a week after his QLV injection and now has a high fever and rash.",
    ],
)
def test_reports_naming_another_drug_with_the_product_are_flagged(text: str) -> None:
    assert assess(text).route is Route.AE_TRIAGE


def test_comparative_question_stays_off_label() -> None:
    assert assess("Is QLV better than Skyrizi for scalp psoriasis?").route is Route.OFF_LABEL
