"""The held-out sets are usable and never leak into the training data."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluate import load_cases
from bot.text import normalise
from content_library import ANSWER_TOPICS

ROOT = Path(__file__).resolve().parents[2]
# The held-out files, and the reference questions' held-back half (bot/reference, read as one set).
EVAL = [*sorted((ROOT / "bot" / "eval").glob("*.yml")), ROOT / "bot" / "reference"]


def _training_texts() -> set[str]:
    texts: set[str] = set()
    for path in (ROOT / "bot" / "data" / "nlu").glob("*.yml"):
        for line in path.read_text().splitlines():
            if line.strip().startswith("- "):
                texts.add(normalise(line.strip()[2:]))
    return texts


@pytest.mark.parametrize("path", EVAL, ids=lambda p: p.name)
def test_every_case_names_real_topics_and_a_known_expectation(path: Path) -> None:
    cases = load_cases(path)
    assert cases
    for case in cases:
        assert case.expect in {"answer", "review", "chitchat", "out_of_scope"}, case
        assert (case.expect == "answer") == bool(case.topics), case
        assert set(case.topics) <= set(ANSWER_TOPICS), case


def test_the_test_set_has_every_kind_of_case() -> None:
    cases = load_cases(ROOT / "bot" / "eval" / "heldout3.yml")
    kinds = {c.expect for c in cases}
    assert kinds == {"answer", "review", "chitchat", "out_of_scope"}
    assert sum(len(c.topics) > 1 for c in cases) >= 20
    assert any(c.context for c in cases)


@pytest.mark.parametrize("path", EVAL, ids=lambda p: p.name)
def test_no_held_out_question_is_a_training_example(path: Path) -> None:
    training = _training_texts()
    leaked = [c.text for c in load_cases(path) if c.expect != "chitchat" and normalise(c.text) in training]
    assert leaked == []
