"""Classes of wording that decide report vs not: statement + question, contrast, lay words, other causes."""

from __future__ import annotations

import pytest

from compliance import assess

REPORTS = [
    # A statement followed by a question is still a report.
    "Pt developed a cough two weeks after the loading dose, should I hold the next one?",
    "She developed painful mouth ulcers on quelvanti, what do other HCPs do for that?",
    "BSA barely changed after 6 months of quelvanti, what's next?",
    # Admissions with a request for advice.
    "pt admitted last night with pneumonia, currently on quelvanti, advise re: next dose",
    "in ICU with septic shock, on QLV since spring - please advise",
    # A negation of one event does not cancel another.
    "Pt denies fever but reports a new dry cough since the last injection",
    "No nausea or vomiting; does report fatigue after each shot",
    "denies SOB, but has new wheezing post injection",
    # Lay and numeric wordings.
    "Ever since she started the shots her hair has been coming out in clumps",
    "after starting qlv his sugars are running 300+, coincidence?",
    "my patient's BP has been 170/100 since the second injection",
    "my patient's eyes turned yellow 2 months into quelvanti",
    # History cues stop at "now".
    "Pt w/ hx of eczema, now eczema flaring badly since starting quelvanti",
]
NOT_REPORTS = [
    "He got hives from Cosentyx in the past; does Quelvanti carry the same risk?",
    "Patient got sunburned at the beach after falling asleep, can she inject into the burned area?",
    "My patient broke her leg in a fall on the ice, she's on Quelvanti, does the fracture change anything?",
    "Her itching resolved completely by the second dose of quelvanti",
    "Joint pain and itching are much better since her second dose",
    "If her ALT goes above 3x ULN, should I stop Quelvanti?",
    "My patient has a latex allergy, does the pen contain latex?",
    "She had a UTI last month, before her first dose, now fully treated. Ok to start?",
    "I need a copy of the AE reporting form please",
    "Patient's mother had breast cancer; is there a malignancy risk with Quelvanti?",
]


@pytest.mark.parametrize("text", REPORTS)
def test_reports(text: str) -> None:
    a = assess(text)
    assert a.adverse_event, [f.rule for f in a.findings]


@pytest.mark.parametrize("text", NOT_REPORTS)
def test_not_reports(text: str) -> None:
    a = assess(text)
    assert not a.adverse_event, [f.rule for f in a.findings]


@pytest.mark.parametrize(
    ("text", "situation"),
    [
        ("Pt's PASI went from 20 to 17 after 24 weeks on quelvanti", "lack_of_efficacy"),
        ("we're 20 weeks in and she still has over 10% BSA", "lack_of_efficacy"),
        ("QLV isn't w0rking at all, pt still covered in plaques at wk 20", "lack_of_efficacy"),
        ("she injected the pen directly into a psoriasis plaque on her thigh", "medication_error"),
        ("The pen clicked early and only about a third of the dose went in", "medication_error"),
        ("pt put the pen back in the fridge after 3 weeks on the counter, then used it", "medication_error"),
        ("pharmacy dispensed Skyrizi instead of Quelvanti and the patient injected it", "medication_error"),
        ("pt injected her wk 4 dose at wk 2 and then again at wk 4", "overdose"),
        ("she injected a second pen right after the first because she thought it failed", "overdose"),
        ("He's 13 and has been on quelvanti for a year now", "pediatric"),
        ("15F on qlv for 2 months, doing fine, any peds dosing data?", "pediatric"),
        ("My UC patient is on Quelvanti since January, any data on colitis outcomes?", "off_label_use"),
        ("Gave quelvanti to a patient with Crohn's, she's had 3 doses so far", "off_label_use"),
        ("she's pr3gnant and had her quelvanti dose last week", "pregnancy"),
    ],
)
def test_special_situations(text: str, situation: str) -> None:
    a = assess(text)
    assert situation in [s.value for s in a.special_situations], [f.rule for f in a.findings]
    assert a.adverse_event


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Maria Lopez (DOB 04/12/1968) c/o injection site reaction", "Maria"),
        ("Summer Hayes got shingles on QLV", "Summer"),
        ("j.d., 45M, on quelvantti for a year, herpes zoster", "j.d."),
        ("pt s/p QLV inj 10/2, now febrile", "10/2"),
    ],
)
def test_pii_values_are_redacted(text: str, value: str) -> None:
    assert value not in assess(text).redacted_text


@pytest.mark.parametrize("text", ["Pain is 3/10 after the shot", "She took 1/2 of the dose", "BP 150/90 now"])
def test_scores_and_fractions_are_not_dates(text: str) -> None:
    assert "[DATE]" not in assess(text).redacted_text
