"""Shapes that blind round 9 (evals/compliance/round9_held.jsonl, scored once) found missed, fixed by general
rules; tested here in other wordings, with the fail-closed side of each new exception."""

from __future__ import annotations

import pytest

from compliance import Route, assess


@pytest.mark.parametrize(
    "text",
    [
        # a timeline in shorthand after the injection
        "QLV inj mon, tues night rigors and sweats",
        "quelvanti shot at 9am, two hours later hives all over",
        # the writer has it too: "anyone else", "happened to me", "started right after my ... injection"
        "Does quelvarimab give anyone else mouth ulcers?",
        "anyone on QLV get palpitations? happened to me the evening of the pen",
        "is it quelvanti? the tremor started right after my second injection",
        "#quelvanti wk 8 update: constant heartburn",
        # a report form's field with an article, and a history followed by a new event
        "ADR: a new onset of tinnitus. suspect: quelvarimab. outcome unknown",
        "A 61-year-old man with a long history of hypertension developed acute urticaria after his first QLV"
        " dose.",
        # the patient on the product has the event
        "A patient of mine on QLV (started by rheum) has erythema nodosum, what do I do?",
        # lab values: with units after "at"/"over", "on" the product, new against "previously normal"
        "Bloods at week 20 of quelvarimab: neutrophils at 0.6 x10^9/L.",
        "Patient on QLV since spring, routine labs now show amylase over 700 U/L",
        "ALT 390 U/L on quelvanti, hepatology consulted",
        "Month 3 of QLV: sodium 124 mmol/L. Previously normal.",
        # drug levels and an unnamed symptom on the product plus another drug
        "On lithium and quelvarimab: trough rose sharply after the second dose, patient symptomatic",
        # medication errors and lack of effect
        "The pharmacy handed a Quelvanti pen to the wrong patient, who injected it at home before anyone called.",
        "Two patients from the same quelvanti lot, none of them responded; we suspect a bad batch.",
    ],
)
def test_reported(text: str) -> None:
    a = assess(text)
    assert a.route is Route.AE_TRIAGE, a.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        # co-use questions reach the assistant (it answers the interaction item or sends them to review)
        "Does QLV interact with sertraline or amlodipine?",
        "any data on quelvanti plus apremilast?",
        "Can quelvarimab be given together with methotrexate for plaque psoriasis?",
        "can my patients keep using calcipotriene on the scalp once on QLV?",
        "pt on methotrexate 15 mg weekly - can we add quelvanti or should MTX stop first?",
        "if a patient comes over from Taltz, does QLV still need the week 0 and 4 doses?",
        # everyday words
        "my rabbit had a reaction to the fireworks, how do I calm him down",
        "what side effects does a bios update have on an old laptop",
        "tell me your best dad jokes about accountants",
        "how much does a healthy dose of optimism help with exams",
        "is it smart to put savings into crypto in 2027?",
    ],
)
def test_passes(text: str) -> None:
    a = assess(text)
    assert a.route is Route.PASS, a.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        # combining to boost efficacy, or a comparison, stays a Medical Information request
        "can I add methotrexate to quelvanti to get a better response?",
        "is quelvanti better than risankizumab?",
        # the writer's own reaction is still an event, a pet in the message or not
        "my dog jumped on me and then I had a reaction to the quelvanti shot, face swelling",
        "I had a reaction after the QLV injection, my phone screen shows the photo",
        # a link to a spam site stays spam even after "about"
        "read about crypto at www.quick-coins-now.xyz",
    ],
)
def test_still_flagged(text: str) -> None:
    a = assess(text)
    assert a.route is not Route.PASS, a.to_dict()


@pytest.mark.parametrize(
    "text, value",
    [
        ("call the clinic and ask for MARGUERITE T. O'SULLIVAN", "MARGUERITE"),
        ("call the clinic and ask for MARGUERITE T. O'SULLIVAN", "O'SULLIVAN"),
        ("please ask for ingrid solberg at the front desk", "solberg"),
        ("patient k. oyelaran, 70yo, needs the co-pay card", "oyelaran"),
        ("forward this to dr m. fujimoto please", "fujimoto"),
        ("OLUWASEUN ADEYEMI, MRN 55102938, seen today", "ADEYEMI"),
        ("We are based in 94110, any nurse educator around?", "94110"),
        ("Any data in patients as old as 96? Asking for one.", "96"),
        ("Deliver to C-42, Malviya Nagar, Jaipur 302017", "C-42"),
        ("Deliver to C-42, Malviya Nagar, Jaipur 302017", "Malviya"),
        ("Lieferadresse: Am Lindenhof 7, 04109 Leipzig", "Lindenhof 7"),
        ("Office: 18, 2nd Main Road, Jayanagar, Bengaluru 560011", "2nd Main Road"),
    ],
)
def test_pii_removed(text: str, value: str) -> None:
    assert value.lower() not in assess(text).redacted_text.lower()


@pytest.mark.parametrize(
    "text, kept",
    [
        ("are there situations where prescribing this is flat-out prohibited?", "flat-out prohibited"),
        ("name is joao please", "please"),
        ("i am e.g. unsure about the dose", "e.g."),
        ("woman, 54, elbow limited extension after the fifth dose", "elbow limited extension"),
        ("Labs: Hb 9.1 g/dL, no EtOH", "EtOH"),
    ],
)
def test_not_redacted(text: str, kept: str) -> None:
    assert kept in assess(text).redacted_text
