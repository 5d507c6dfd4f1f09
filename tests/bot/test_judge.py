"""The assistant's judgement on a full parse: domain gate, abstention, multi-topic answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.routing import Parse, Route, Thresholds, judge, parts
from bot.similarity import ExampleIndex
from content_library import ContentLibrary

LIBRARY = ContentLibrary()
INDEX = ExampleIndex.from_library(LIBRARY)
POINT = Thresholds(confidence=0.5, margin=0.2, similarity=0.3, domain=0.5, part_similarity=0.45, part_bonus=0.1)


def parse(text: str, *ranking: tuple[str, float]) -> Parse:
    return Parse(text, tuple(sorted(ranking, key=lambda r: -r[1])))


def test_a_clear_question_gets_its_approved_item() -> None:
    decision = judge(parse("how should quelvanti pens be stored", ("ask_storage", 0.9)), LIBRARY, INDEX, POINT)
    assert decision.route is Route.ANSWERED
    assert decision.topics == ("storage",)
    assert decision.items[0].approval_code.startswith("QLV-US-")


def test_low_confidence_or_a_close_second_topic_goes_to_review() -> None:
    unsure = parse("quelvanti storage", ("ask_storage", 0.4), ("ask_room_temperature", 0.1))
    close = parse("quelvanti storage", ("ask_storage", 0.55), ("ask_room_temperature", 0.45))
    for p in (unsure, close):
        decision = judge(p, LIBRARY, INDEX, POINT)
        assert decision.route is Route.REVIEW
        assert [i.topic for i in decision.items] == ["review_followup"]


def test_a_question_unlike_the_items_examples_is_not_answered_with_it() -> None:
    # Confident model, but nothing like the storage item's own questions: never the storage answer.
    text = "how do i get red wine out of a couch cushion"
    decision = judge(parse(text, ("ask_room_temperature", 0.9), ("out_of_scope", 0.05)), LIBRARY, INDEX, POINT)
    # Never answered; whether the domain gate or review takes it depends on how close the nearest reference
    # question is ("how do I get ... out of ..." is close to several): no item either way.
    assert decision.route is not Route.ANSWERED and decision.topics == ()
    assert [i.topic for i in decision.items] in (["out_of_scope"], ["review_followup"])


def test_off_domain_gets_the_out_of_scope_reply_never_review() -> None:
    decision = judge(
        parse("when will world war 3 begin", ("out_of_scope", 0.7), ("ask_onset", 0.2)), LIBRARY, INDEX, POINT
    )
    assert decision.route is Route.CHITCHAT
    assert decision.items[0].topic == "out_of_scope"


def test_a_product_question_the_model_calls_off_domain_goes_to_review() -> None:
    text = "is there a quelvanti brochure for my clinic's waiting room"
    decision = judge(parse(text, ("out_of_scope", 0.6), ("ask_patient_support", 0.3)), LIBRARY, INDEX, POINT)
    assert decision.route is Route.REVIEW


def test_an_unanswerable_medical_question_goes_to_review() -> None:
    decision = judge(parse("does qlv raise liver enzymes", ("novel_question", 0.8)), LIBRARY, INDEX, POINT)
    assert decision.route is Route.REVIEW


def test_small_talk_gets_its_approved_message() -> None:
    decision = judge(parse("hi there", ("greet", 0.95)), LIBRARY, INDEX, POINT)
    assert decision.route is Route.CHITCHAT and decision.items[0].topic == "greeting"


def test_a_two_part_question_gets_both_answers_in_the_order_asked() -> None:
    text = "What's the dose, and how should it be stored?"
    decision = judge(parse(text, ("ask_dosing", 0.5), ("ask_storage", 0.4)), LIBRARY, INDEX, POINT)
    assert decision.route is Route.ANSWERED
    assert decision.topics == ("dosing", "storage")
    assert [i.topic for i in decision.items] == ["dosing", "storage"]
    assert all(i.approval_code.startswith("QLV-US-") for i in decision.items)


def test_fair_balance_is_added_once_after_all_answers() -> None:
    text = "pasi 90 at week 16? also what are the common side effects"
    ranking = (("ask_efficacy_week16", 0.5), ("ask_adverse_reactions", 0.45))
    decision = judge(parse(text, *ranking), LIBRARY, INDEX, POINT)
    assert [i.topic for i in decision.items] == ["efficacy_week16", "adverse_reactions", "isi"]


def test_a_part_matching_no_item_never_gets_a_second_answer() -> None:
    text = "what's the dose and what's the wholesale price per pen"
    decision = judge(parse(text, ("ask_dosing", 0.6), ("novel_question", 0.3)), LIBRARY, INDEX, POINT)
    assert decision.topics in {(), ("dosing",)}
    unsure = judge(parse(text, ("ask_dosing", 0.45), ("novel_question", 0.4)), LIBRARY, INDEX, POINT)
    assert unsure.route is not Route.ANSWERED and unsure.topics == ()  # review, or the domain gate's reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What's the dose, and how should it be stored?", ["What's the dose", "how should it be stored"]),
        (
            "Is a TB test needed? Also, which vaccines to avoid?",
            ["Is a TB test needed", "which vaccines to avoid"],
        ),
        ("dose + storage pls", ["dose", "storage pls"]),
        ("how should quelvanti be stored", ["how should quelvanti be stored"]),
        # A vignette's statements are context, not questions: only the asked sentence is split.
        (
            "My pt is 54 and on methotrexate. What is the dose and how is it stored?",
            ["What is the dose", "how is it stored"],
        ),
        ("Patient starting next week. dose?", ["dose"]),
        ("dose. storage.", ["dose", "storage"]),
    ],
)
def test_parts(text: str, expected: list[str]) -> None:
    assert parts(text) == expected


def test_parse_from_rasa_reads_the_ranking_best_first() -> None:
    p = Parse.from_rasa(
        {
            "text": "q",
            "intent": {"name": "ask_dosing", "confidence": 0.7},
            "intent_ranking": [
                {"name": "ask_storage", "confidence": 0.2},
                {"name": "ask_dosing", "confidence": 0.7},
            ],
        }
    )
    assert p.top == ("ask_dosing", 0.7)
    assert p.margin == pytest.approx(0.5)
    assert Parse.from_rasa({"text": "q", "intent": {"name": "greet", "confidence": 1.0}}).top == ("greet", 1.0)


def test_the_committed_operating_point_loads(tmp_path: Path) -> None:
    committed = Thresholds.load()
    assert 0 < committed.confidence < 1 and committed.similarity >= 0
    (tmp_path / "t.yml").write_text("confidence: 0.7\nper_topic: {dosing: 0.9}\nunknown: 1\n")
    loaded = Thresholds.load(tmp_path / "t.yml")
    assert loaded.for_topic("dosing") == 0.9 and loaded.for_topic("storage") == 0.7
    assert Thresholds.load(tmp_path / "missing.yml") == Thresholds()


def test_a_short_follow_up_asks_about_something_other_than_the_previous_answer() -> None:
    # "and in older patients?" after the side-effects answer: not the side effects again.
    p = parse(
        "and in older patients?", ("ask_adverse_reactions", 0.5), ("ask_geriatric", 0.45), ("novel_question", 0.05)
    )
    assert judge(p, LIBRARY, INDEX, POINT).route is Route.REVIEW
    decision = judge(p, LIBRARY, INDEX, POINT, previous=("adverse_reactions",))
    assert decision.route is Route.ANSWERED and decision.topics == ("geriatric",)
    # A full question is judged on its own whatever came before.
    full = parse("what are the common side effects of quelvanti", ("ask_adverse_reactions", 0.9))
    assert judge(full, LIBRARY, INDEX, POINT, previous=("adverse_reactions",)).topics == ("adverse_reactions",)


def test_the_label_words_about_something_else_get_the_out_of_scope_reply_when_the_model_is_sure() -> None:
    """ "why is there a copay on my phone bill": the model (trained on off_domain_traps.yml) is sure it is
    off-domain though it uses the label's words; believed above `trusted_out_of_scope`, never when the product is
    named or referred to, and never when the model is unsure (then the topics are weighed as before)."""
    point = Thresholds(confidence=0.5, margin=0.2, similarity=0.3, domain=0.5, trusted_out_of_scope=0.65)
    sure = parse("why is there a copay on my phone bill", ("out_of_scope", 0.8), ("ask_copay", 0.15))
    decision = judge(sure, LIBRARY, INDEX, point)
    assert decision.route is Route.CHITCHAT and decision.items[0].topic == "out_of_scope"
    assert "label's words" in decision.reason
    named = parse("why is there a copay on the quelvanti card", ("out_of_scope", 0.8), ("ask_copay", 0.15))
    assert "label's words" not in judge(named, LIBRARY, INDEX, point).reason
    unsure = parse("copay assistance?", ("out_of_scope", 0.55), ("ask_copay", 0.4))
    assert "label's words" not in judge(unsure, LIBRARY, INDEX, point).reason
    # off by default: a parse judged with the defaults weighs the topics
    assert "label's words" not in judge(sure, LIBRARY, INDEX, POINT).reason
