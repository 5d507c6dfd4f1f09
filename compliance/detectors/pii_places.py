"""Places are not people: "is it safe to travel to Lisbon" keeps its city.

The name heuristics take a capitalised unknown word for a name, so city and country names became
`[PERSON]` and took the question with them. A capitalised run found in the generated gazetteer
(`vocab/terminology/places.tsv`) is a place, and PERSON candidates inside it are dropped, when:
- `after_locative`: a "where" word stands right before it ("in Toronto", "visiting Porto");
- `after_ambiguous`: a word that also introduces people ("to", "from", "for") stands before it and the place
  is a country or a major city that is not a given name, or a travel word is in the few words before
  ("book a flight to Austin");
- `well_known`: a country or a major city that is not a given name, anywhere ("Lisbon in March?").
A name cue right before the place always wins ("my patient Austin Reyes", "Dr Florence"), and so do a
courtesy title and initials (those PERSON rules are never dropped).

A single capitalised word that no gazetteer lists is a place by its position alone (`unlisted_place`): right
after a where-word ("what's it called in Mombasa?"), or after "to"/"from"/"for" with a travel word before
it ("can I bring it on a plane to Dubrovnik?"), when no capitalised word (a surname) or "'s" follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import yaml

from compliance.findings import PiiType
from compliance.nlp.lexicon import Lexicon, get_lexicon

_VOCAB = Path(__file__).resolve().parents[1] / "vocab"
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'’.-]*")
_JOIN = frozenset([" ", "-"])
_MAX_WORDS = 3
_TRAVEL_WINDOW = 5
_WELL_KNOWN = frozenset(["country", "major"])
# PERSON rules that a place never overrides: a title ("Mrs. Shelton") or initials are no place.
_KEPT_RULES = ("person:title", "person:initials", "person:named")


@dataclass(frozen=True)
class _Cues:
    locative: frozenset[str]
    ambiguous: frozenset[str]
    travel: frozenset[str]
    name_cues: frozenset[str]


@cache
def _cues() -> _Cues:
    data = yaml.safe_load((_VOCAB / "places.yaml").read_text(encoding="utf-8"))
    return _Cues(
        *(frozenset(str(w).lower() for w in data[k]) for k in ("locative", "ambiguous", "travel", "name_cues"))
    )


@cache
def _places() -> dict[str, str]:
    out: dict[str, str] = {}
    with (_VOCAB / "terminology" / "places.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                name, _, kind = line.rstrip("\n").partition("\t")
                out[name] = kind
    return out


def _given_name(name: str, lex: Lexicon) -> bool:
    return name.split()[0] in lex.first_names


def after_locative(before: list[str], kind: str, given: bool) -> bool:
    """ "in Toronto", "visiting Porto": a where-word right before the place."""
    return bool(before) and before[-1] in _cues().locative


def after_ambiguous(before: list[str], kind: str, given: bool) -> bool:
    """ "to Lisbon", "a flight to Austin": a word that also introduces people, and a reason to read a place."""
    if not before or before[-1] not in _cues().ambiguous:
        return False
    return (kind in _WELL_KNOWN and not given) or any(w in _cues().travel for w in before[-_TRAVEL_WINDOW:])


def well_known(before: list[str], kind: str, given: bool) -> bool:
    """A country or a major city that is not a given name, with no cue at all ("Lisbon in March?")."""
    return kind in _WELL_KNOWN and not given


RULES = (after_locative, after_ambiguous, well_known)


def place_spans(text: str, lex: Lexicon | None = None) -> list[tuple[int, int, str]]:
    """(start, end, rule) of every capitalised run that reads as a place, on `text`'s coordinates."""
    lex = lex or get_lexicon()
    places, cues = _places(), _cues()
    words = list(_WORD.finditer(text))
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        if not words[i].group()[:1].isupper():
            i += 1
            continue
        before = [w.group().lower().rstrip(".") for w in words[max(0, i - _TRAVEL_WINDOW) : i]]
        found = None
        for n in range(min(_MAX_WORDS, len(words) - i), 0, -1):
            run = words[i : i + n]
            if any(text[a.end() : b.start()] not in _JOIN for a, b in pairwise(run)):
                continue
            name = text[run[0].start() : run[-1].end()].lower().rstrip(".")
            kind = places.get(name)
            if kind is None or text.startswith(("'s", "’s"), run[-1].end()):
                continue
            if before and before[-1] in cues.name_cues:
                break  # "my patient Austin": the name cue wins
            given = _given_name(name, lex)
            rule = next((r.__name__ for r in RULES if r(before, kind, given)), None)
            if rule is not None:
                found = (run[0].start(), run[-1].end(), rule, n)
            break
        if found is None:
            i += 1
            continue
        out.append(found[:3])
        i += found[3]
    return out


def _unlisted_place(text: str, start: int, end: int) -> bool:
    """ "called in Mombasa", "a plane to Dubrovnik": a one-word candidate in a place position."""
    if text.startswith(("'s", "’s"), end) or re.match(r"[ -][A-Z\u00c0-\u00de]", text[end : end + 2]):
        return False
    before = [w.lower().rstrip(".") for w in _WORD.findall(text[max(0, start - 60) : start])][-_TRAVEL_WINDOW:]
    if not before or before[-1] in _cues().name_cues:
        return False
    return after_locative(before, "town", False) or (
        before[-1] in _cues().ambiguous and any(w in _cues().travel for w in before)
    )


def drop_places(
    spans: list[tuple[int, int, PiiType, str, int]], text: str
) -> list[tuple[int, int, PiiType, str, int]]:
    """The candidate spans without the PERSON candidates that lie inside a place."""
    if not any(s[2] is PiiType.PERSON for s in spans):
        return spans
    found = place_spans(text)
    return [
        s
        for s in spans
        if s[2] is not PiiType.PERSON
        or s[3].startswith(_KEPT_RULES)
        or not (
            any(ps <= s[0] and s[1] <= pe for ps, pe, _ in found)
            or (" " not in text[s[0] : s[1]] and _unlisted_place(text, s[0], s[1]))
        )
    ]
