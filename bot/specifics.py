"""Does the approved item state the specific fact a question asks for?

"What was the PASI 75 response at week 16?", "3-year data?", "NDC for the pen?", "vs Skyrizi?", "nail
psoriasis data?": the nearest item (PASI 90 at week 16, week 52 maintenance, how supplied) would answer a
different claim. When the question names a measure with its threshold, a time point, an identifier, a subgroup,
a compared product or a detail (a statistic, a formulation property, a pack count, a programme limit) that the
item's own text does not, the assistant has no approved answer: review.
The words live in `specifics.yml`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

_DATA = Path(__file__).resolve().parent / "specifics.yml"
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10}
# A time point of trial results: "3-year data", "at 5 years", "through year 2"; not "psoriasis for 30 years".
_N = r"(\d{1,2}|one|two|three|four|five|six|ten)"
_YEARS = re.compile(
    rf"\b{_N}[- ]?(?:years?|yrs?|yr)[- ](?:data|results?|follow-?up|extension|outcomes?|efficacy|maintenance|"
    rf"response|durability)\b|\b(?:at|after|through|to|beyond|past|over|out to|up to) {_N}[- ]?(?:years?|yrs?)\b"
    rf"(?! (?:ago|before|earlier|old))|\byear {_N}\b"
)
_WEEK = re.compile(r"\b(?:week|wk|wks|weeks)\s?(\d{1,3})\b")


@dataclass(frozen=True)
class _Vocabulary:
    measure: re.Pattern[str]
    identifiers: re.Pattern[str]
    subgroups: re.Pattern[str]
    competitors: re.Pattern[str]
    comparison: re.Pattern[str]
    details: re.Pattern[str]
    result_topics: frozenset[str]


def _words(words: list[str]) -> str:
    return "|".join(re.escape(str(w)) for w in sorted(words, key=len, reverse=True))


@cache
def _vocabulary() -> _Vocabulary:
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    return _Vocabulary(
        measure=re.compile(rf"\b({_words(data['measures'])})[\s-]?(\d{{2,3}}|0/1|0 ?or ?1)\b"),
        identifiers=re.compile(rf"\b(?:{_words(data['identifiers'])})\b"),
        subgroups=re.compile(rf"\b(?:{_words(data['subgroups'])})\b"),
        competitors=re.compile(rf"\b(?:{_words(data['competitors'])})\b"),
        comparison=re.compile(rf"\b(?:{_words(data['comparison_words'])})\b"),
        details=re.compile(rf"\b(?:{_words(data['details'])})\b"),
        result_topics=frozenset(str(t) for t in data["result_topics"]),
    )


def _weeks_in(text: str) -> set[int]:
    weeks = {int(m.group(1)) for m in _WEEK.finditer(text)}
    for m in _YEARS.finditer(text):
        n = next(g for g in m.groups() if g is not None)
        weeks.add(52 * (_NUMBER_WORDS.get(n) or int(n)))
    return weeks


def missing_fact(question: str, topics: Sequence[str], body: str) -> str | None:
    """The specific the question asks for that the answer's text (every item of it) does not state, or None."""
    vocab, q, item = _vocabulary(), question.lower(), body.lower()
    for m in vocab.measure.finditer(q):
        measure, value = m.group(1), m.group(2).replace(" ", "").replace("or", "/")
        if not re.search(rf"\b{re.escape(measure)}[\s-]?{re.escape(value)}\b", item.replace("0 or 1", "0/1")):
            return f"{measure.upper()} {value}"
    for m in vocab.identifiers.finditer(q):
        if m.group() not in item:
            return m.group()
    for m in vocab.details.finditer(q):
        if m.group() not in item:
            return m.group()
    if vocab.result_topics.intersection(topics):
        for m in vocab.competitors.finditer(q):
            if vocab.comparison.search(q) and m.group() not in item:
                return f"comparison with {m.group()}"
        for m in vocab.subgroups.finditer(q):
            if m.group() not in item:
                return m.group()
        asked = _weeks_in(q)
        stated = _weeks_in(item)
        if asked and not asked <= stated:
            return f"week {min(asked - stated)}"
    return None
