"""Reference questions per topic: how HCPs actually ask (terse, abbreviated, misspelled, long, non-native,
with other drugs named), written for each topic by writers who never saw the evaluation sets.

`bot/reference/<topic>.yml` holds them (`<topic>.<writer>.yml` too, one file per writer). A stable hash of each
question splits them in two: the training half joins the topic's examples in the generated NLU data (beside the
approved item's own examples); the held-back half is never trained on and serves as calibration cases
(`bot.evaluate` reads the directory as one set). A question that is also an approved item's example, or that two
topics share, is in neither half.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from bot.text import normalise

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def held_back(question: str) -> bool:
    """Whether a question belongs to the held-back half (stable: a question's half never changes)."""
    return hashlib.sha256(normalise(question).encode()).digest()[0] % 2 == 1


def load(directory: Path = REFERENCE_DIR) -> dict[str, list[str]]:
    """Every topic's reference questions, in file order and once each, less those another topic also has."""
    by_topic: dict[str, list[str]] = {}
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        by_topic.setdefault(str(data["topic"]), []).extend(str(q) for q in data["questions"])
    unique = {topic: _first_of_each(questions) for topic, questions in by_topic.items()}
    topics_of: dict[str, int] = {}
    for questions in unique.values():
        for question in questions:
            topics_of[normalise(question)] = topics_of.get(normalise(question), 0) + 1
    return {t: [q for q in qs if topics_of[normalise(q)] == 1] for t, qs in unique.items()}


def _first_of_each(questions: Iterable[str]) -> list[str]:
    """The questions in order, each normalised form once."""
    seen: dict[str, str] = {}
    for question in questions:
        seen.setdefault(normalise(question), question)
    return list(seen.values())


def _without(questions: Iterable[str], examples: set[str]) -> list[str]:
    return [q for q in questions if normalise(q) not in examples]


def training_half(
    topics: Iterable[str], item_examples: Iterable[str], directory: Path = REFERENCE_DIR
) -> dict[str, list[str]]:
    """The training half for the given (live) topics, less any question an approved item has as an example."""
    examples = {normalise(e) for e in item_examples}
    wanted = set(topics)
    return {
        topic: _without((q for q in questions if not held_back(q)), examples)
        for topic, questions in load(directory).items()
        if topic in wanted
    }


def held_back_half(item_examples: Iterable[str], directory: Path = REFERENCE_DIR) -> Mapping[str, list[str]]:
    """The held-back half of every topic, less any question an approved item has as an example."""
    examples = {normalise(e) for e in item_examples}
    return {
        topic: _without((q for q in questions if held_back(q)), examples)
        for topic, questions in load(directory).items()
    }
