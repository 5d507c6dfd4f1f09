"""Off-label requests go to medical information; on-label questions do not."""

from __future__ import annotations

import pytest

from compliance import assess

REQUESTS = [
    "Can Quelvanti be used for psoriatic arthritis?",
    "Any data on quelvarimab in ulcerative colitis?",
    "Would Quelvanti help my patient's hidradenitis suppurativa?",
    "What's the pediatric dose of Quelvanti?",
    "Can I dose Quelvanti every 4 weeks for a patient with partial response?",
    "Can the maintenance dose be increased to 200 mg?",
    "Is Quelvanti better than Skyrizi?",
    "Quelvanti vs Cosentyx, which works faster?",
    "Should I switch my patient from Stelara to Quelvanti?",
    "Does Quelvanti work for mild psoriasis?",
    "Can Quelvanti be given IV for faster onset?",
    "Can I use half a pen for a small patient?",
]
ON_LABEL = [
    # a co-use question reaches the assistant (the interaction item or review), issue 8; "to boost" stays off-label
    "Can I combine Quelvanti with Otezla?",
    "What is the recommended dose of Quelvanti?",
    "Patient completed her loading doses and is now on the every 8 week schedule.",
    "Can Quelvanti be used during pregnancy?",
    "Is Quelvanti associated with inflammatory bowel disease?",
    "Is the co-pay card valid for Medicare patients?",
    "Do elderly patients need a different dose?",
    "My patient on Skyrizi switched to Quelvanti and now has a widespread rash.",
]


@pytest.mark.parametrize("text", REQUESTS)
def test_off_label_requests(text: str) -> None:
    a = assess(text)
    assert a.off_label, [f.rule for f in a.findings]
    assert a.route.value == "off_label"


@pytest.mark.parametrize("text", ON_LABEL)
def test_on_label_messages(text: str) -> None:
    assert not assess(text).off_label


def test_off_label_use_report_is_an_ae_not_a_request() -> None:
    a = assess("We started Quelvanti for his ulcerative colitis last month.")
    assert "off_label_use" in [s.value for s in a.special_situations]
    assert not a.off_label and a.route.value == "ae_triage"


def test_finding_explains_the_topic() -> None:
    a = assess("Can I use Quelvanti in kids?")
    rules = [f.rule for f in a.findings if f.detector.value == "off_label"]
    assert "off_label:population:request" in rules


@pytest.mark.parametrize(
    "text",
    [
        "Is Quelvanti approved for kids?",
        "pediatric safety and efficacy established for quelvarimab?",
        "peds approved? what about over 65s, any adjustment",
        "is it licensed under 18",
        "is quelvanti for mild psoriasis too or only moderate to severe",
    ],
)
def test_label_status_question_passes_to_the_label_answer(text: str) -> None:
    # What the label says (not established under 18; moderate-to-severe): the approved items answer it.
    a = assess(text)
    assert not a.off_label and a.route.value == "pass", a.findings


@pytest.mark.parametrize(
    "text",
    [
        "can I use quelvanti in my 12 year old, is it approved for kids?",
        "Is it approved for ulcerative colitis?",
        "Has Quelvanti been studied in Crohn's patients?",
        "we started QLV in a 15 year old, is that approved?",
    ],
)
def test_use_requests_other_diseases_and_reported_use_stay_off_label(text: str) -> None:
    assert assess(text).route.value in ("off_label", "ae_triage")
