"""Report shapes that blind round 8 (evals/compliance/round8_held.jsonl, scored once) found missed, fixed by
general rules; tested here in other wordings."""

from __future__ import annotations

import pytest

from compliance import assess


@pytest.mark.parametrize(
    "text",
    [
        # clinical shorthand: arrows, "post <product> dose N", "?related"
        "qlv -> AKI",
        "pancreatitis post QLV dose 2, ?related",
        "HTN 188/104 s/p quelvanti #3",
        "S/p QLV inj 2d ago, now ISR 10cm",
        # a question names the event, the writer's own statement says it happened
        "anyone else get bad nosebleeds on quelvanti?? mine started after the second pen",
        "can quelvanti cause alopecia? asking because i got it a month after starting",
        "Would you rechallenge with QLV after a DRESS reaction? It resolved in two weeks.",
        "how do you manage oral ulcers on QLV? my patient presented with it last week",
        "Anyone notice hearing loss on quelvanti? I'm 50 and never had it before.",
        # a report written as a report, or as a form
        "I'd like to report a side effect: my patient on quelvanti had a seizure on Monday.",
        "Initial report: patient (age 61) on QLV 100 mg q8w, event herpes zoster, onset day 40.",
        # a question that presupposes the event
        "Is it normal that my arm is swollen and hot since my quelvanti shot?",
        # the writer's own reference range or earlier value
        "CBC on QLV: platelets 61 x10^9/L (range 150-400), previously 240.",
        "creatinine 210 umol/L (baseline 75) two weeks after quelvarimab",
        # lay wordings
        "since starting quelvanti my vision went blurry in the left eye",
        "on QLV 3 months and my ears won't stop ringing",
        "my face went bright red and hot an hour after the quelvanti shot",
        "after my 2nd quelvanti injection my heart was beating really hard all night",
    ],
)
def test_reported(text: str) -> None:
    assert assess(text).route.value == "ae_triage", assess(text).findings


@pytest.mark.parametrize(
    "text",
    [
        "can quelvanti cause alopecia?",
        "anyone know if quelvanti causes nosebleeds?",
        "CBC on QLV: platelets 240 x10^9/L (range 150-400), previously 230.",
        "creatinine 80 umol/L (baseline 75) on quelvarimab",
        "Is it normal to get a red injection site after quelvanti?",
        "How do I report a side effect of quelvanti?",
    ],
)
def test_not_reported(text: str) -> None:
    assert not assess(text).adverse_event, assess(text).findings


@pytest.mark.parametrize(
    "text",
    [
        "the new phone update had a nasty side effect: my apps crash all day",
        "good climbing shoes for a 9-year-old who just started bouldering?",
        "which fountain pen is best for a 10 year old learning cursive?",
        "can I take my EpiPen in hand luggage?",
    ],
)
def test_everyday_messages_raise_nothing(text: str) -> None:
    a = assess(text)
    assert a.route.value == "pass" and not a.special_situations, a.findings


def test_an_epipen_used_is_still_anaphylaxis() -> None:
    assert assess("after her quelvanti shot she had to use her EpiPen").adverse_event


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("My grandmother is 96, can she use the pen herself?", "96"),
        ("pt turned 92 last month", "92"),
        ("Mr Okafor (101) asked about samples", "101"),
    ],
)
def test_ages_over_89_are_redacted(text: str, age: str) -> None:
    assert age not in assess(text).redacted_text


@pytest.mark.parametrize("text", ["her BP is 95 over 60", "HR was 98 this morning", "he is 95 kg"])
def test_other_numbers_after_a_person_stay(text: str) -> None:
    assert assess(text).redacted_text == text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("my postal code is H2X 1Y4, who is my rep?", "H2X 1Y4"),
        ("any dermatologist near D02 X285?", "D02 X285"),
        ("can a specialty pharmacy ship to 60614?", "60614"),
    ],
)
def test_postcodes_where_a_place_is_meant_are_redacted(text: str, code: str) -> None:
    assert code not in assess(text).redacted_text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("J.K. Osei, please", "Osei"),
        ("Wojciechowska M, please call back", "Wojciechowska"),
        ("our office coordinator priyanka raghunathan will fax it", "raghunathan"),
        ("hi, this is maarten de kruijf from the clinic", "kruijf"),
        ("-- tamsin okonjo, rn | ext 44", "okonjo"),
        ("giulia della rovere\n12 Elm Street", "rovere"),
    ],
)
def test_names_in_these_shapes_are_redacted(text: str, name: str) -> None:
    assert name not in assess(text).redacted_text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("how do I clean my ResMed AirSense 11?", "ResMed AirSense 11"),
        ("is the Omron blood pressure monitor accurate", "Omron"),
        ("should I renew Microsoft 365 this year", "Microsoft 365"),
    ],
)
def test_device_and_product_names_with_a_model_number_stay(text: str, kept: str) -> None:
    assert kept in assess(text).redacted_text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Seen Okafor 3, follow up in clinic", "Okafor"),
        ("Adaeze Okonkwo 45 yo on QLV", "Okonkwo"),
    ],
)
def test_a_name_before_a_number_is_still_a_name(text: str, name: str) -> None:
    assert name not in assess(text).redacted_text


@pytest.mark.parametrize(
    "text",
    [
        "Patient had a severe allergic reaction in clinic and we gave epinephrine.",
        "EpiPen x2 after quelvanti last night",
        "missed a dose and now she can't walk properly, what now?",
    ],
)
def test_fail_closed_near_the_new_exceptions(text: str) -> None:
    # An EpiPen used (or with the product) is anaphylaxis; a missed dose followed by anything new is reported.
    assert assess(text).route.value == "ae_triage"


def test_a_side_effect_in_a_person_after_an_app_is_still_reported() -> None:
    assert assess("the reminder app told her to inject and she had a weird side effect").adverse_event
