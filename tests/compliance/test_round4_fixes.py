"""Issue 8, round 4: misses found while using the service (places, typos, idioms, vaccines, ages, addresses)."""

from __future__ import annotations

import pytest

from compliance import Route, assess
from compliance.findings import PiiType


@pytest.mark.parametrize(
    "text, pieces",
    [
        ("she lives at Corso xx settembre 136, 20121 Milano", ["Corso", "settembre", "136"]),
        ("address: corso xx settembre 136", ["settembre", "136"]),
        ("new address via iv novembre 12, 00187 Roma", ["novembre", "12"]),
        ("201 chemin victor hugo, 69003 Lyon", ["victor", "hugo", "201"]),
        ("Piazza XXV Aprile 3, Milano", ["Aprile", "XXV"]),
    ],
)
def test_street_names_with_roman_numerals_or_given_names_lose_the_street(text: str, pieces: list[str]) -> None:
    red = assess(text).redacted_text
    assert not any(p in red for p in pieces), red


@pytest.mark.parametrize(
    "text",
    [
        "my patient got the yellow fever vaccine last week, should we hold Quelvanti?",
        "pt needs yellow fever for travel, hold Quelvanti?",
        "pt needs the yellow fever shot before her trip, do we pause Quelvanti?",
        "she is due for shingles vaccination next month, any gap needed around her Quelvanti dose?",
    ],
)
def test_a_vaccine_question_reaches_the_bot(text: str) -> None:
    a = assess(text)
    assert not a.adverse_event and a.route is Route.PASS, [f.rule for f in a.findings]


def test_a_reaction_to_a_vaccine_on_the_product_is_still_a_report() -> None:
    assert assess("pt got the yellow fever vaccine on Quelvanti and now has a high fever and rash").adverse_event


@pytest.mark.parametrize(
    "text",
    [
        "this traffic makes my blood boil",
        "people who cut in line make my blood boil",
        "i got a shot of the sunset from the pier",
        "got a great shot of the skyline last night",
        "the view was drop dead gorgeous",
    ],
)
def test_idioms_are_not_events_or_abuse(text: str) -> None:
    a = assess(text)
    assert not a.adverse_event and not a.abusive and a.route is Route.PASS, [f.rule for f in a.findings]


def test_a_boil_or_a_shot_in_a_patient_is_still_a_report() -> None:
    assert assess("my patient has a boil on her thigh since the last Quelvanti shot").adverse_event


@pytest.mark.parametrize(
    "text",
    ["Copay crad for quelvanti?", "copay crad not working", "how do I get a copay crad", "the copay crad expired"],
)
def test_a_typo_is_not_a_name(text: str) -> None:
    a = assess(text)
    assert "[PERSON]" not in a.redacted_text, a.redacted_text
    assert not a.adverse_event, [f.rule for f in a.findings]


@pytest.mark.parametrize(
    "text, place",
    [
        ("is it safe to travel to Lisbon", "Lisbon"),
        ("weather forecast for Denver on friday", "Denver"),
        ("book a flight to Austin monday", "Austin"),
        ("how long is the flight from Paris to Tokyo", "Paris"),
        ("how long is the flight from Paris to Tokyo", "Tokyo"),
        ("do i need a visa for Portugal", "Portugal"),
        ("what's the temperature in Toronto", "Toronto"),
        ("is it safe to travel to Lisbon on Quelvanti?", "Lisbon"),
        ("patient moving to New Zealand, can she get Quelvanti there?", "New Zealand"),
    ],
)
def test_places_are_not_names(text: str, place: str) -> None:
    a = assess(text)
    assert place in a.redacted_text, a.redacted_text
    assert not any(p.type is PiiType.PERSON for p in a.pii)


@pytest.mark.parametrize(
    "text, name",
    [
        ("my patient Austin Reyes got hives after the shot", "Austin"),
        ("spoke with Florence Adeyemi about her refill", "Florence"),
        ("Mrs. Shelton called about the copay card", "Shelton"),
    ],
)
def test_names_that_are_also_places_are_still_names(text: str, name: str) -> None:
    assert name not in assess(text).redacted_text


@pytest.mark.parametrize(
    "text, age",
    [
        ("my 7 year old patient, can she use Quelvanti?", "7 year old"),
        ("can a 12-year-old use Quelvanti", "12-year-old"),
        ("my 85 year old patient, any dose change for Quelvanti?", "85 year old"),
    ],
)
def test_a_population_age_with_nothing_else_identifying_stays_for_routing(text: str, age: str) -> None:
    a = assess(text)
    assert age in a.redacted_text, a.redacted_text
    assert not any(p.type is PiiType.AGE for p in a.pii)


@pytest.mark.parametrize(
    "text",
    [
        "my 7 year old patient Ana Lopez, can she use Quelvanti?",
        "my 7 year old patient, dob 3/4/2019, can she use Quelvanti?",
        "my 93 year old patient, any dose change?",
        "pt 46 F ok?",
        "86F with hives after her second quelvanti dose",
    ],
)
def test_an_age_is_redacted_when_over_89_adult_or_with_another_identifier(text: str) -> None:
    assert "[AGE]" in assess(text).redacted_text


def test_86f_is_an_age_only_where_it_is_an_age() -> None:
    assert assess("can quelvanti be kept at 86F for a day").pii == []
    assert "[AGE]" in assess("86F on quelvanti developed a rash").redacted_text


# Round-4 dev set (tuned on; the held-back half was scored once afterwards).
@pytest.mark.parametrize(
    "text",
    [
        "A pharmacokinetic interaction between filgrastim and quelvarimab may explain the stress incontinence.",
        "No alternative explanation for the palpebral ptosis was found apart from quelvarimab.",
    ],
)
def test_a_hedged_or_negated_cause_presupposes_the_event(text: str) -> None:
    a = assess(text)
    assert a.adverse_event and any("link:presupposed" in f.rule for f in a.findings), [f.rule for f in a.findings]


def test_a_hedged_event_without_the_presupposing_wording_stays_hypothetical() -> None:
    assert not assess("Quelvarimab may cause ptosis in rare cases.").adverse_event


@pytest.mark.parametrize(
    "text",
    [
        "insurer is forcing a change from Hyrimoz, how do I bridge to Quelvanti?",
        "Spevigo to Quelvanti: first dose on the day the next Spevigo was due?",
        "plan is to stop Sotyktu and go to qlv next month, any lab work first?",
    ],
)
def test_switch_sequences_reach_the_bot(text: str) -> None:
    assert assess(text).route is Route.PASS


@pytest.mark.parametrize(
    "text, names",
    [
        ("pt milena fonua, date of birth 27-Nov-1932", ["milena", "fonua", "27-Nov-1932"]),
        ("ok so joaquín saliba called again about her shipment", ["joaquín", "saliba"]),
        ("demographics: Nagy, Milena; dob 21.09.1989", ["Nagy", "Milena"]),
        ("hospital no 18264584, min-jun tesfaye, lives nearby", ["min-jun", "tesfaye"]),
        ("pt burak gruber, date of birth 1933/11/04", ["burak", "gruber"]),
        ("my patient emre brandt (dob 11.8.1959) called", ["emre", "brandt"]),
    ],
)
def test_names_next_to_unknown_words_and_dates_are_redacted(text: str, names: list[str]) -> None:
    a = assess(text)
    assert not any(n in a.redacted_text for n in names), a.redacted_text
    assert not a.adverse_event  # "milena" is a name here, not a typo of melena


def test_a_typo_of_an_event_word_is_still_an_event() -> None:
    assert assess("pt had melana yesterday after the shot").adverse_event


@pytest.mark.parametrize(
    "text, pieces",
    [
        ("lives at Karl Johans gate 10, 0154 Oslo", ["Johans", "10"]),
        ("lives at øvre slotts gate 229, 4352 Ålesund", ["slotts", "229"]),
        ("Strada Mihai Eminescu nr. 115, Timișoara", ["Eminescu", "115"]),
        ("Váci utca 5, Budapest", ["Váci"]),
    ],
)
def test_name_then_type_word_addresses(text: str, pieces: list[str]) -> None:
    red = assess(text).redacted_text
    assert not any(p in red for p in pieces), red


def test_an_airport_gate_is_no_street() -> None:
    assert assess("meet me at gate 12 for the flight").pii == []


def test_a_disease_that_lost_to_a_lay_term_is_still_no_name() -> None:
    assert "Hdl" in assess("tips for sleeping better with Depressed Hdl Cholesterol?").redacted_text


# Read from the round-4 held-back misses AFTER it was scored once (so these no longer count as held-out).
@pytest.mark.parametrize(
    "text, place",
    [
        ("what's tacrine called in Mombasa?", "Mombasa"),
        ("can I bring Invega on a plane to Salzburg?", "Salzburg"),
        ("does it need to be refrigerated when I travel to Dubrovnik?", "Dubrovnik"),
    ],
)
def test_a_place_by_position_alone_is_not_a_name(text: str, place: str) -> None:
    assert place in assess(text).redacted_text


@pytest.mark.parametrize("text", ["message from Ngozi about the refill", "spoke to Tendai yesterday"])
def test_a_name_after_to_or_from_without_travel_is_still_a_name(text: str) -> None:
    assert "[PERSON]" in assess(text).redacted_text


@pytest.mark.parametrize(
    "text, gone",
    [
        ("please send the starter kit to rákóczi út 113, 8577 Szeged", ["rákóczi", "113"]),
        ("reach zoltán at z88@post.example or +886 912 345 664", ["zoltán"]),
        ("contact i46@post.example to reach ishita Sousa's carer", ["ishita", "Sousa"]),
        ("zanele ó súilleabháin / dob 05-Sep-1946", ["zanele", "súilleabháin"]),
    ],
)
def test_accented_types_possessives_particles_and_names_before_a_contact(text: str, gone: list[str]) -> None:
    red = assess(text).redacted_text
    assert not any(g in red for g in gone), red


def test_a_contact_verb_before_a_plain_word_is_no_name() -> None:
    assert "office" in assess("call the office at 555-201-3344").redacted_text
