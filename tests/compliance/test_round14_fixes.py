"""Shapes that blind round 14 (evals/compliance/round14_held.jsonl, scored once) found missed, fixed by general
rules; tested here in other wordings, with the fail-closed side of each new exception."""

from __future__ import annotations

import pytest

from compliance import Route, assess


@pytest.mark.parametrize(
    "text",
    [
        # literature titles: event and drug as a pair, a temporal association, a signal, an "associated with" drug
        "Pemphigoid and quelvarimab: an unusual association",
        "Temporal association of acute pancreatitis with an influenza vaccine and quelvarimab given days apart",
        "Alopecia areata reported with quelvarimab in a spontaneous reporting database (12 cases).",
        "Dystonia associated with anti-IL-23 therapy (quelvarimab): a case report",
        # a named condition right after the product
        "patient with quelvanti develop Churg-Strauss syndrome after the second pen",
        # the same fail-closed side: a headache after the product, asked about with a painkiller
        "Is it OK to take ibuprofen for the headache she got after her Quelvanti shot?",
    ],
)
def test_reported(text: str) -> None:
    a = assess(text)
    assert a.route is Route.AE_TRIAGE, a.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        # switching and sequencing logistics
        "What gap is recommended between the final Taltz injection and starting quelvarimab?",
        "Moving from QLV to guselkumab because of coverage - should we wait one dosing interval?",
        "Could QLV be started while the patient is still tapering off prednisone?",
        # co-use and monitoring questions
        "Can calcipotriol ointment go on near the QLV injection site on the same day?",
        "how often should CBC be checked when azathioprine is combined with quelvarimab?",
        "Is there an interaction between Quelvanti and tacrolimus? Stable on it for years.",
        "NB-UVB three times a week - fine to continue with quelvanti?",
        # where a patient comes from is no illness; a test's name is no event
        "Patient grew up in a TB-endemic region, IGRA negative. Is prophylaxis needed before QLV?",
        "Pt on methotrexate - do we need more frequent LFT checks once QLV starts?",
        # a painkiller for a headache, asked while on the product
        "Can I take paracetamol for a headache while I'm on Quelvanti?",
    ],
)
def test_reaches_the_assistant(text: str) -> None:
    a = assess(text)
    assert a.route is Route.PASS, a.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        "my wifi extender is not working again",
        "we overdosed on christmas movies this weekend, what should we watch next?",
        "my cat scratches the sofa every day, how do I stop it",
    ],
)
def test_everyday_text_is_nothing(text: str) -> None:
    a = assess(text)
    assert a.route is Route.PASS and not a.adverse_event and not a.off_label, a.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        "my patient overdosed on her insulin last night and is now on QLV",
        "Can we shorten the interval to every 6 weeks?",
        "The patient had been stable on QLV until lithium was added; tremor followed.",
    ],
)
def test_fail_closed_side(text: str) -> None:
    a = assess(text)
    assert a.route is not Route.PASS, a.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        # a vignette's conditions before the product, in a question about it (bot heldout12, scored blind once)
        "70-year-old with diabetes, gout and plaque psoriasis. Anything different about quelvanti at his age?",
        "48 yo woman with asthma and hypothyroidism, currently on tacrolimus ointment. Does QLV interact with it?",
        # a missed dose asked about in other words; a patient not yet started
        "Her injection was forgotten last week, what she must do now? She is on Quelvanti.",
        "Positive IGRA, on rifampin now. When are we allowed to begin quelvanti?",
        # a plant's infection is no patient's
        "the tomato plants have a fungal infection on the leaves, what spray works?",
    ],
)
def test_baseline_and_plants_reach_the_assistant(text: str) -> None:
    a = assess(text)
    assert a.route is Route.PASS, a.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        "82-year-old on quelvanti with new hypertension. Is that known?",
        "Man with pancreatitis, on QLV for a year, is this known?",
        "had a pt with pancreatitis and then a rash 3 wks post QLV dose. is this known?",
        # a question about the cause is never background (final review: this passed before)
        "Woman with hives - a reaction to quelvanti?",
    ],
)
def test_conditions_on_the_product_stay_reported(text: str) -> None:
    assert assess(text).route is Route.AE_TRIAGE


@pytest.mark.parametrize(
    "text, values",
    [
        # the unit on either side of the street, then the town and postcode in either order
        ("please deliver to Via Mazzini 14, int. 7, 40121 Bologna today", ["14", "int. 7", "40121"]),
        ("new address: Calle Alcala 20, 4º A, 28014 Madrid", ["20", "4º A", "28014"]),
        ("Ship to Unit 12/88 George Street, Brisbane QLD 4000.", ["12/88", "4000"]),
        ("home: 55 Gangnam-daero, Seocho-gu, Apt 902, Seoul 06524", ["55", "902", "06524"]),
        # a postcode after its label, four or five digits
        ("the postcode for the nurse visit is 75011", ["75011"]),
        # ages over 89 in words
        ("Mrs Ortega, a hundred and two years, needs a home visit", ["hundred and two"]),
        ("patient aged ninety-one - any dose change?", ["ninety-one"]),
    ],
)
def test_no_piece_of_the_address_or_age_survives(text: str, values: list[str]) -> None:
    redacted = assess(text).redacted_text
    for value in values:
        assert value not in redacted, redacted


@pytest.mark.parametrize(
    "text, values",
    [
        # names and addresses in their own script inside a message in Latin letters
        ("Pt: 李娜 | please call back about the copay card", ["李娜"]),
        ("Contact 이민호 about the nurse visit", ["이민호"]),
        ("deliver to 〒150-0001 東京都渋谷区神宮前1-2-3 please", ["150-0001", "1-2-3"]),
        # a card holder's name in lower case
        ("card ending 4242 (holder maria souza)", ["maria souza"]),
    ],
)
def test_names_in_other_scripts_and_card_holders(text: str, values: list[str]) -> None:
    redacted = assess(text).redacted_text
    for value in values:
        assert value not in redacted, redacted


def test_a_field_label_in_another_script_stays() -> None:
    assert "生年月日" in assess("intake for Ana Ruiz, 生年月日 1950-03-02").redacted_text


@pytest.mark.parametrize(
    "text",
    [
        # the fail-closed side of the new exceptions (final review for failing open)
        "it's not working anymore",
        "She wants to stop QLV because of tingling lips since the 2nd dose",
        "stable on QLV for a year, developed tingling lips last week",
    ],
)
def test_exceptions_do_not_fail_open(text: str) -> None:
    assert assess(text).route is Route.AE_TRIAGE
