"""Shapes that blind round 10 (evals/compliance/round10_held.jsonl, scored once) found missed, fixed by general
rules; tested here in other wordings, with the fail-closed side of each new exception."""

from __future__ import annotations

import pytest

from compliance import Route, assess


@pytest.mark.parametrize(
    "text",
    [
        # an event word no vocabulary lists, recognised by its shape (or as a named syndrome or disease)
        "Haemophagocytic lymphohistiocytosis following quelvarimab therapy",
        "Kimura disease after the third quelvarimab injection",
        "our patient developed Susac syndrome two months into QLV",
        # a title: the event on the drug, with a case qualifier or a colon lead-in
        "Unexpected twist: eosinophilic fasciitis on quelvarimab",
        "Fatal necrotising pancreatitis on long-term quelvarimab",
        # labs: new against "normal pre-treatment", labs the table lacked, units it lacked
        "after dose 4 of QLV her labs came back sodium 121 mmol/L - was totally normal pre-treatment",
        "pt on quelvanti, bloods at wk 20: lactate 6.1 mmol/L, referred to ED",
        "reporting a lab abnormality: free T4 5.2 ng/dL in a patient 10 weeks after starting QLV",
        # lay wordings and "now" after the product
        "finally clear on quelvanti, now i can't smell anything",
        "QLV cleared my plaques but now I have dark thoughts most days",
        "me on quelvarimab: a drooping face on the left",
        "anyone else? quelvanti + nails lifting off = normal??",
        # an arrow report with a surprised "??"
        "qlv -> bullous pemphigoid in a 70M?? biopsy confirmed",
        # lack of effect stated in its own clause, or measured
        "QLV just isn't working for her, 20 weeks in, what next?",
        "Secondary non-response to quelvarimab: PASI 75 not reached at week 28.",
        # a dosing error by misunderstanding
        "she injected QLV every week for a month thinking it was a weekly pen",
        # a medicine named by both drugs as suspects
        "Dual exposure to leflunomide and quelvarimab preceded the hepatitis by 3 weeks.",
    ],
)
def test_reported(text: str) -> None:
    a = assess(text)
    assert a.route is Route.AE_TRIAGE, a.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        # co-use, switching-away and monitoring questions reach the assistant
        "would you combine QLV with calcipotriol ointment or avoid it",
        "pt on quelvanti wants to go back to Otezla, how long after the last QLV dose?",
        "is there data on patients transitioning from Skyrizi to quelvarimab?",
        "Do we repeat a chest x-ray every year while on QLV?",
        "can a patient on quelvarimab get the yellow fever vaccine?",
        "spouse is getting the live zoster vaccine - any issue for my pt on QLV?",
        "Latent TB, isoniazid started. When can start quelvanti, same time?",
        "will quelvarimab interfere with skin prick testing for allergies?",
        # background conditions and everyday words
        "I have Ehlers-Danlos syndrome. Is it safe for me to take magnesium?",
        "my dog has imposter syndrome about the new puppy lol",
        "any tips for a 7 year old who is bleeding me dry with toy requests",
        "the washing machine died after 9 years old, repair or replace?",
        "what's a good savings rate if I earn $3,000 a month",
        "withdrawal symptoms from quitting social media, how do people cope",
    ],
)
def test_passes(text: str) -> None:
    a = assess(text)
    assert a.route is Route.PASS, a.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        # still reported: a plain verb question with a symptom, the product stopping working
        "pt on QLV is getting chest pain every evening, what should we do?",
        "does anyone else find quelvanti stopped working? mine flared at week 40",
        # a profanity aimed at the assistant
        "you are a prick",
    ],
)
def test_still_flagged(text: str) -> None:
    a = assess(text)
    assert a.route is not Route.PASS, a.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        "For a patient who did not respond to Taltz, can we go straight to QLV?",
        "Infections on quelvarimab",
        "infections on quelvarimab are rare, right?",
    ],
)
def test_not_a_report(text: str) -> None:
    # another drug's failure, a bare topic, a rate question
    assert assess(text).route is not Route.AE_TRIAGE


@pytest.mark.parametrize(
    "text, value",
    [
        ("he's ninety-two and injects himself, is the pen easy to grip?", "ninety-two"),
        ("elderly pt, 96, starting QLV - any data?", "96"),
        ("Amara Okafor is 93 and her son does the injections", "93"),
        ("c'est pour une patiente de 94 ans", "94"),
        ("which MSL covers PSČ 602 00?", "602 00"),
        ("our clinic is at Eircode T12 X70A", "T12 X70A"),
        ("dob 03-XI-1951, please enrol", "03-XI-1951"),
        ("Mr. Brown got hives after his second injection", "Brown"),
        ("deliver to Av. Reforma Norte 222, Col. Guerrero, 06300 CDMX", "Reforma"),
    ],
)
def test_pii_removed(text: str, value: str) -> None:
    assert value.lower() not in assess(text).redacted_text.lower()


@pytest.mark.parametrize(
    "text, kept",
    [
        ("quelva pt: TSH 0.01, free T4 high", "TSH"),
        ("her PASI score was 95, fine", "95"),
        ("Is Elden Ring worth it on PC?", "PC"),
        ("merci de rappeler après 18h", "merci de rappeler"),
    ],
)
def test_not_redacted(text: str, kept: str) -> None:
    assert kept in assess(text).redacted_text


@pytest.mark.parametrize(
    "text",
    [
        "How is rosacea usually treated?",
        "What are the current guidelines for treating atopic dermatitis in adults?",
    ],
)
def test_another_disease_with_no_product_meant_is_not_off_label(text: str) -> None:
    assert assess(text).route is Route.PASS


@pytest.mark.parametrize(
    "text", ["Can it be used for rosacea?", "any data in adolescents", "What about hidradenitis suppurativa?"]
)
def test_the_product_meant_by_it_or_by_asking_for_data_stays_off_label(text: str) -> None:
    assert assess(text).route is Route.OFF_LABEL
