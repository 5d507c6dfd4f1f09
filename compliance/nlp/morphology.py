"""Event words by their shape, for terms no vocabulary lists (`vocab/morphology.yaml`).

The terminology holds tens of thousands of terms, yet case reports name rarer ones ("pneumatosis
intestinalis", "amyopathic dermatomyositis") and British spellings ("methaemoglobinaemia"). A word outside
everyday English, the drugs and the known terms that ends like a disease ("-itis", "-aemia", "-opathy"), or a
name ending in a disease head ("macrophage activation syndrome", "IgG4-related disease"), is an event
candidate; the detectors then decide, as for any event term, whether it is reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

_VOCAB = Path(__file__).resolve().parents[1] / "vocab" / "morphology.yaml"


@dataclass(frozen=True)
class _Shapes:
    suffix: re.Pattern[str]
    min_length: int
    named_head: re.Pattern[str]
    not_in_name: frozenset[str]
    everyday_names: frozenset[str]
    organ_head: re.Pattern[str]
    organ_words: frozenset[str]


@cache
def _shapes() -> _Shapes:
    data = yaml.safe_load(_VOCAB.read_text(encoding="utf-8"))
    suffixes = sorted({str(s) for s in data["suffixes"]}, key=len, reverse=True)
    heads = "|".join(re.escape(str(h)) for h in data["heads"])
    return _Shapes(
        suffix=re.compile(r"(?:" + "|".join(re.escape(s) for s in suffixes) + r")$"),
        min_length=int(data["min_length"]),
        named_head=re.compile(r"((?:[a-z0-9][\w'-]*[ -]){1,3})(?:" + heads + r")\b"),
        not_in_name=frozenset(str(w) for w in data["not_in_name"]),
        everyday_names=frozenset(str(w) for w in data["everyday_names"]),
        organ_head=re.compile(
            r"((?:[a-z0-9][\w'-]*[ -]){1,3})(?:"
            + "|".join(re.escape(str(h)) for h in data["organ_heads"])
            + r")\b"
        ),
        organ_words=frozenset(str(w) for w in data["organ_words"]),
    )


def disease_shaped(word: str) -> bool:
    """A lower-case word that ends like a disease and is long enough not to be a short everyday word."""
    shapes = _shapes()
    return len(word) >= shapes.min_length and word.isalpha() and shapes.suffix.search(word) is not None


def named_conditions(
    lower: str, everyday: Callable[[str], bool], given_name: Callable[[str], bool]
) -> list[tuple[int, int]]:
    """Spans of "<one to three name words> syndrome|disease|...": the name words after the last function word,
    at least one of them no everyday English word ("macrophage activation", not "imposter") or an organ ("bile
    duct"), none a given name ("Sarah Jones syndrome follow-up" is a patient's name before the word); and of
    "<words with an organ> perforation|storm|loss|..." ("gastrointestinal perforation", "thyroid storm")."""
    shapes = _shapes()
    out = []
    for pattern, needs_organ in ((shapes.named_head, False), (shapes.organ_head, True)):
        for m in pattern.finditer(lower):
            words = list(_NAME_WORD.finditer(m.group(1)))
            last_function = max((i for i, w in enumerate(words) if w.group() in shapes.not_in_name), default=-1)
            kept = words[last_function + 1 :]
            organ = any(w.group() in shapes.organ_words for w in kept)
            if not kept or (needs_organ and not organ) or (all(everyday(w.group()) for w in kept) and not organ):
                continue
            if any(w.group() in shapes.everyday_names or given_name(w.group()) for w in kept):
                continue
            if needs_organ:  # the finding starts at its organ: "reports gastrointestinal perforation"
                kept = kept[next(i for i, w in enumerate(kept) if w.group() in shapes.organ_words) :]
            out.append((m.start(1) + kept[0].start(), m.end()))
    return out


_NAME_WORD = re.compile(r"[a-z0-9][\w'-]*")
