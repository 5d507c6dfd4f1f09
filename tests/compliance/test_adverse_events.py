"""Adverse events: report vs question vs hypothetical vs negation, criteria and seriousness."""

from __future__ import annotations

import pytest

from compliance import assess

REPORTS = [
    "My patient developed a rash after her second injection",
    "Pt got hives about 2 hours after the loading dose.",
    "She's been really tired and nauseous since the first shot.",
    "Headache after the loading dose, resolved in 2 days.",
    "My patient developed hives after Quelvanti, should I stop it?",
    "Is it normal that my patient has had a headache after every dose?",
    "What should I do about my patient's injection site reaction?",
    "Patient's neutrophils dropped to 0.9 after starting quelvarimab.",
    "He told me his vision went blurry the day after the shot.",
    "My patient got a r4sh after qu3lv4nti",
    "pt developed c e l l u l i t i s after the second Quelvanti shot",
    "My p\u0430tient h\u0430d \u0430 r\u0430sh \u0430fter Qu\u0435lv\u0430nti.",
]
NOT_REPORTS = [
    "Can it cause headaches?",
    "What are the most common side effects of Quelvanti?",
    "Which adverse reactions occurred in more than 1% of patients?",
    "If a patient gets a rash, what should they do?",
    "What should I do if my patient develops a fever after the injection?",
    "No side effects so far.",
    "Patient denies fever, chills or rash after the second dose.",
    "None of my patients on Quelvanti have reported hair loss.",
    "My patient asks whether Quelvanti causes weight gain.",
    "My patient is anxious about needles. Any tips?",
    "My patient has latent TB, can I start Quelvanti after treatment?",
    "My patient had a great response, no more plaques.",
]


@pytest.mark.parametrize("text", REPORTS)
def test_reports_are_adverse_events(text: str) -> None:
    a = assess(text)
    assert a.adverse_event, [f.rule for f in a.findings]
    assert a.route.value == "ae_triage"


@pytest.mark.parametrize("text", NOT_REPORTS)
def test_questions_hypotheticals_and_negations_are_not(text: str) -> None:
    a = assess(text)
    assert not a.adverse_event, [f.rule for f in a.findings]


def test_four_criteria() -> None:
    a = assess("My 62 year old patient got shingles a month after his first dose of Quelvanti")
    assert a.ae_criteria.to_dict() == {"patient": True, "reporter": True, "product": True, "event": True}
    assert a.events == ["herpes zoster"]
    assert a.products == ["Quelvanti"]


def test_product_from_conversation_context() -> None:
    text = "Rash and fever after it."
    assert assess(text, {"product_in_conversation": True}).ae_criteria.product


def test_reporter_context_is_respected() -> None:
    a = assess("Patient had hives after the injection.", {"reporter_identified": False})
    assert a.adverse_event and not a.ae_criteria.reporter


@pytest.mark.parametrize(
    ("text", "criterion"),
    [
        ("My patient died last week, he had been on Quelvanti for 6 months.", "death"),
        ("She was hospitalised for 4 days with a serious infection after the second dose.", "hospitalisation"),
        ("Anaphylaxis after Quelvanti, needed epinephrine.", "life_threatening"),
        ("Patient now in a wheelchair after Guillain-Barre that started after her dose.", "disability"),
        (
            "Her baby was born with a heart defect; she was on Quelvanti throughout pregnancy.",
            "congenital_anomaly",
        ),
    ],
)
def test_seriousness(text: str, criterion: str) -> None:
    assert criterion in assess(text).seriousness


def test_negated_seriousness_does_not_count() -> None:
    a = assess("My patient had hives after Quelvanti but was not hospitalized.")
    assert a.adverse_event and "hospitalisation" not in a.seriousness


def test_event_span_is_on_the_original_obfuscated_text() -> None:
    text = "pt developed c e l l u l i t i s after qu3lv4nti"
    a = assess(text)
    event = next(f for f in a.findings if f.detector.value == "adverse_event" and f.score > 0)
    assert event.span is not None
    assert text[event.span.start : event.span.end] == "c e l l u l i t i s"
    product = next(f for f in a.findings if f.detector.value == "product")
    assert product.span is not None and text[product.span.start : product.span.end] == "qu3lv4nti"
