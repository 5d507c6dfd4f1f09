"""Issue 8, round 5: the kinds of miss round 5 showed, in wordings of our own (round 5 itself is now a dev set)."""

from __future__ import annotations

import pytest

from compliance import Route, assess


@pytest.mark.parametrize(
    "text",
    [
        # rechallenge titles and interaction co-reports
        "Recurrent angioedema upon rechallenge with quelvarimab",
        "Relapsing myocarditis on re-exposure to Quelvanti: a case report",
        "Suspected interaction between quelvarimab and tacrolimus resulting in acute kidney injury",
        "A drug interaction between Quelvanti and valproate leading to thrombocytopenia",
        # events outside every vocabulary, tied to the product by time or by the patient
        "Two weeks after the first dose of quelvarimab, granulomatous frobnitis was diagnosed.",
        "She had been on Quelvanti for five months when eosinophilic zorbitis was first noted.",
        "Case report: localized panniculitis-like zorbitis in a woman on quelvarimab",
        # asking whether to report presupposes the event
        "swelling of both ankles in a pt 6 weeks into QLV, do I need to report this?",
        "pt on quelvanti with new floaters in one eye, is this reportable?",
        # a consequence of the event is not its cause
        "knee pain so bad since her last QLV shot that the stairs are impossible",
    ],
)
def test_reports_are_flagged(text: str) -> None:
    a = assess(text)
    assert a.adverse_event and a.route is Route.AE_TRIAGE, [f.rule for f in a.findings]


@pytest.mark.parametrize(
    "text",
    [
        # a condition the writer seeks care for, with nothing tying it to the product
        "I have acid reflux, are there any alternatives to omeprazole?",
        "My daughter has pink eye, when should we see a doctor?",
        "I've got gout. Would Quelvanti help with that?",
        "Just diagnosed with asthma, which questions should I ask at my next visit?",
        # the other drug's indication, before the product is started
        "Can we start QLV while he is still on isoniazid for latent TB?",
        # idioms and everyday children
        "my kids won't stop playing Minecraft, any tips for screen time?",
        "is it worth buying a car seat on sale for the baby?",
    ],
)
def test_questions_and_chatter_are_not_reports(text: str) -> None:
    a = assess(text)
    assert not a.adverse_event and not a.off_label, [f.rule for f in a.findings]


@pytest.mark.parametrize(
    "text",
    [
        "any data on combining Quelvanti with lithium?",
        "pt is on lisinopril daily, anything to watch when we add qlv?",
        "switching a pt from Cosentyx to quelvarimab, do we still give the week 0 and week 4 doses?",
    ],
)
def test_questions_naming_another_drug_reach_the_bot(text: str) -> None:
    a = assess(text)
    assert a.route is Route.PASS, [f.rule for f in a.findings]


@pytest.mark.parametrize(
    "text",
    [
        "my pt has had tinnitus since starting quelvanti, would a hearing test help?",
        "he developed hives after his second QLV dose, should we give an antihistamine?",
    ],
)
def test_care_questions_tied_to_the_product_stay_reports(text: str) -> None:
    assert assess(text).adverse_event


def test_is_it_ok_for_a_child_is_still_a_pediatric_request() -> None:
    assert assess("is it ok for a 12 year old?").off_label


@pytest.mark.parametrize(
    "text, value",
    [
        ("born 4 février 1958, please update the chart", "4 février 1958"),
        ("Geburtsdatum: 21. Oktober 1949", "21. Oktober 1949"),
        ("fecha de nacimiento 7 de junio de 1972", "7 de junio de 1972"),
        ("data di nascita 30 settembre 1966", "30 settembre 1966"),
        ("ur. 5 listopada 1959", "5 listopada 1959"),
        ("pt MRN: KX/2021/4471", "KX/2021/4471"),
        ("can you call back ingrid solberg about the refill", "ingrid solberg"),
        ("I spoke with minh le yesterday", "minh le"),
        ("writing on behalf of tomasz wierzbicki, who starts soon", "tomasz wierzbicki"),
        ("Ji-woo Kang asked about the copay card", "Ji-woo Kang"),
        ("send it to Karlova 1212/14, Praha 2", "Karlova 1212/14"),
        ("she lives at Hafnarstræti 20, 101 Reykjavík", "Hafnarstræti 20"),
        ("home: Atatürk Caddesi 88, Ankara", "Atatürk Caddesi 88"),
        ("mail to Wiedner Straße 12/3, 1040 Wien", "Wiedner Straße 12/3"),
    ],
)
def test_international_pii_does_not_survive(text: str, value: str) -> None:
    red = assess(text).redacted_text
    assert value not in red, red


@pytest.mark.parametrize(
    "text, keep",
    [
        ("Can I take NyQuil while on amoxicillin?", "NyQuil"),
        ("is Rolaids ok with lisinopril?", "Rolaids"),
        ("Is Marfan syndrome a contraindication?", "Marfan"),
        ("What is Kawasaki disease?", "Kawasaki"),
    ],
)
def test_drug_and_disease_names_are_not_people(text: str, keep: str) -> None:
    assert keep in assess(text).redacted_text


def test_a_given_name_before_a_disease_word_is_still_a_person() -> None:
    assert "Sarah" not in assess("Sarah Jones syndrome follow-up, call her back").redacted_text


@pytest.mark.parametrize(
    "text",
    [
        "The alopecia resolved after quelvarimab was withheld and recurred on rechallenge.",
        "He had no prior history of migraine before QLV was introduced in May.",
        "Tremor with concomitant lithium and quelvarimab therapy",
        "Quelvarimab-induced myositis? A case report",
        "Lessons from the clinic: neutropenia in a woman on quelvarimab",
        "Labs 10 weeks into QLV showed a CRP of 250 mg/L.",
        "After the 2nd Quelvanti dose her troponin was 4.1 ng/mL.",
    ],
)
def test_round6_report_kinds_are_flagged(text: str) -> None:
    assert assess(text).adverse_event, [f.rule for f in assess(text).findings]


@pytest.mark.parametrize(
    "text",
    [
        "How do we switch a patient from Cosentyx to quelvarimab?",
        "Any guidance on transitioning someone from Bimzelx to QLV?",
        "She takes losartan and metformin, can she start Quelvanti as well?",
        "Can he keep using his calcipotriene cream after starting QLV?",
    ],
)
def test_round6_switch_and_comedication_questions_reach_the_bot(text: str) -> None:
    a = assess(text)
    assert a.route is Route.PASS, [f.rule for f in a.findings]


@pytest.mark.parametrize(
    "text, value",
    [
        ("her zip code is 60614, any nurse nearby?", "60614"),
        ("nearest infusion-free derm near 73301?", "73301"),
        ("NHC A12B3456 - seen today", "A12B3456"),
        ("Fallnummer 2023-44871, bitte", "2023-44871"),
        ("DOB 03MAR1944, Medicare", "03MAR1944"),
        ("Maria L. Fernandes asked for a callback", "Fernandes"),
    ],
)
def test_round6_pii_kinds_do_not_survive(text: str, value: str) -> None:
    assert value not in assess(text).redacted_text


def test_herbs_and_classifications_are_not_pii() -> None:
    assert "John's wort" in assess("Is St. John's wort ok with warfarin?").redacted_text
    assert "type 2 diabetes" in assess("Does type 2 diabetes run in families?").redacted_text


@pytest.mark.parametrize(
    "text, value",
    [
        ("MARIKA HALVORSEN called about her refill", "HALVORSEN"),
        ("per TOMASZ NOWAK's voicemail, please call back", "NOWAK"),
        ("refund the copay to R. Abernathy-Okafor", "Abernathy-Okafor"),
        ("PLZ 10115 for the shipment", "10115"),
        ("her CEP is 01310-100", "01310-100"),
        ("postal K1A 0B1 on file", "K1A 0B1"),
        ("〒100-0001 is the new address", "100-0001"),
        ("생년월일 1941年3月9日", "1941年3月9日"),
        ("ship to 12 Gangnam-daero, Seoul", "Gangnam-daero"),
        ("she lives at 14 Harbour Parade, Sydney", "Harbour Parade"),
    ],
)
def test_round7_pii_forms_do_not_survive(text: str, value: str) -> None:
    assert value not in assess(text).redacted_text


@pytest.mark.parametrize("text", ["URGENT PLEASE CALL BACK", "QLV DOSE FOR PSORIASIS", "PASI 90 AT WEEK 16?"])
def test_shouting_is_not_a_name(text: str) -> None:
    assert "[PERSON]" not in assess(text).redacted_text


@pytest.mark.parametrize(
    "text",
    [
        "Hair thinning after his third QLV injection - is that a known thing?",
        "noting pancreatitis in pt on QLV x four doses, no other cause found",
    ],
)
def test_round7_report_kinds_are_flagged(text: str) -> None:
    assert assess(text).adverse_event


@pytest.mark.parametrize(
    "text",
    [
        "Pt has a UTI, on nitrofurantoin, and is scheduled for her first qlv dose next week. Hold it?",
        "Positive IGRA, normal chest film. Can we start QLV now or treat latent TB first?",
        "She is breastfeeding a newborn and wants to start Quelvanti. Does it pass into milk?",
        "Pt with cirrhosis, Child-Pugh C: any dose change for quelvarimab?",
        "is qlv injected IV or subq?",
        "q8w or q12w maintenance for quelvanti?",
    ],
)
def test_label_questions_before_treatment_reach_the_bot(text: str) -> None:
    a = assess(text)
    assert a.route is Route.PASS, [f.rule for f in a.findings]


@pytest.mark.parametrize(
    "text",
    [
        "pt got cellulitis after her first qlv dose, can we start antibiotics?",
        "she is breastfeeding and on QLV, ok?",
    ],
)
def test_the_same_conditions_on_treatment_stay_reports(text: str) -> None:
    assert assess(text).adverse_event


@pytest.mark.parametrize("text", ["can I give quelvanti IV?", "can we dose qlv q4w instead?"])
def test_an_unapproved_regimen_asked_for_is_still_off_label(text: str) -> None:
    assert assess(text).off_label
