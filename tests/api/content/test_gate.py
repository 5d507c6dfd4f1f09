"""The regression gate's rules on given model readings (no training): what it refuses and why."""

from __future__ import annotations

from api.content.training import HeldOut, conflicting_topic, judge

HELDOUT = HeldOut(
    texts=["how to store it", "keep it cold?", "copay card?", "what does it cost"],
    topics=["storage", "storage", "copay", "copay"],
)
BASELINE = {"copay": 2, "storage": 2}
EXAMPLES_ROUTED = ["ask_copay"] * 4


def test_examples_the_live_model_answers_with_another_item_are_a_conflict() -> None:
    live = ["ask_storage", "ask_storage", "ask_storage", "novel_question"]
    assert conflicting_topic("copay", live) == ("storage", 3)
    verdict = judge(HELDOUT, BASELINE, BASELINE, "copay", EXAMPLES_ROUTED, 0.03, 0.9, live)
    assert not verdict.passed and verdict.report["conflicts_with"] == "storage"
    assert (
        "3 of the 4 example questions the proposal adds are what the live 'storage' item answers"
        in verdict.reasons[0]
    )


def test_new_questions_or_the_items_own_topic_are_no_conflict() -> None:
    assert conflicting_topic("copay", ["novel_question", "out_of_scope", "ask_copay", "ask_copay"]) is None
    assert conflicting_topic("copay", ["ask_storage", "ask_dosing", "novel_question", "ask_copay"]) is None
    assert conflicting_topic(None, []) is None
    verdict = judge(HELDOUT, BASELINE, BASELINE, "copay", EXAMPLES_ROUTED, 0.03, 0.9, ["novel_question"] * 4)
    assert verdict.passed and verdict.reasons == []


def test_a_topic_taken_over_or_examples_not_routing_are_refused() -> None:
    taken = judge(HELDOUT, BASELINE, {"copay": 2, "storage": 0}, "copay", EXAMPLES_ROUTED, 0.5, 0.9)
    assert not taken.passed and any("'storage' now route elsewhere" in r for r in taken.reasons)
    unrouted = judge(HELDOUT, BASELINE, BASELINE, "copay", ["ask_storage"] * 4, 0.03, 0.9)
    assert not unrouted.passed
    assert "only 0% of the new item's example questions route to 'copay'" in unrouted.reasons
