"""PERSON heuristics: typed spans, the span collector, triggers, given names and initials."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from compliance.detectors.pii_name_patterns import (
    _AGE_AFTER,
    _AGE_AFTER_NAME,
    _ASK_FOR,
    _CAPS_INITIALS,
    _CAPS_NAME,
    _FUNCTION_WORDS,
    _INITIAL_SURNAME,
    _INITIALS,
    _INITIALS_NOT,
    _LOWER_INITIALS,
    _LOWER_INITIALS_NOT,
    _LOWERCASE_TRIGGERS,
    _NAME_CONTEXT,
    _RECORD_AFTER,
    _STRONG_TRIGGER,
    _TITLE,
    _TRIGGER,
    _TWO_WORD_NAME,
    _WORD,
)
from compliance.detectors.pii_patterns import MRN_KEYWORD
from compliance.detectors.pii_unknown_names import product_named_here
from compliance.findings import PiiType
from compliance.nlp.lexicon import Lexicon, get_lexicon
from compliance.nlp.morphology import disease_shaped


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """One PII span on the original text."""

    start: int
    end: int
    type: PiiType
    rule: str

    def to_dict(self) -> dict[str, object]:
        """JSON shape of the contract: start, end, type."""
        return {"start": self.start, "end": self.end, "type": self.type.value}


@cache
def _not_names() -> frozenset[str]:
    lex: Lexicon = get_lexicon()
    return frozenset(lex.known_terms | _FUNCTION_WORDS)


def _luhn_npi(digits: str) -> bool:
    """NPI check digit: Luhn over the prefix 80840 plus the first nine digits."""
    if len(digits) != 10 or digits[0] not in "12":
        return False
    total = 0
    for i, ch in enumerate(reversed("80840" + digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


_SUFFIXES = (
    "ally",
    "ly",
    "ies",
    "es",
    "s",
    "ed",
    "ing",
    "er",
    "ers",
    "est",
    "ness",
    "ment",
    "ments",
    "ful",
    "less",
    "able",
    "ation",
    "ations",
    "ity",
    "ive",
    "ized",
    "ised",
)


def _englishish(word: str, english: frozenset[str]) -> bool:
    """True for an English word, its inflections and compounds ("Hypothetically", "Caregiver")."""
    if word in english:
        return True
    if "'" in word:
        return word.split("'")[0] in english or word.split("'")[0] in _FUNCTION_WORDS
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            stem = word[: -len(suf)]
            if (
                stem in english
                or stem + "e" in english
                or stem + "y" in english
                or (len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in english)
            ):
                return True
    return any(word[:i] in english and word[i:] in english for i in range(3, len(word) - 2))


def _sentence_initial(text: str, pos: int) -> bool:
    k = pos - 1
    while k >= 0 and text[k] in " \t\"'(*-":
        k -= 1
    return k < 0 or text[k] in ".!?\n\r:;"


class _Collector:
    def __init__(self) -> None:
        self.spans: list[tuple[int, int, PiiType, str, int]] = []

    def add(self, start: int, end: int, kind: PiiType, rule: str, priority: int) -> None:
        if end > start:
            self.spans.append((start, end, kind, rule, priority))

    def resolve(self) -> list[tuple[int, int, PiiType, str]]:
        """Keep non-overlapping spans, preferring higher priority, then longer."""
        chosen: list[tuple[int, int, PiiType, str, int]] = []
        for s in sorted(self.spans, key=lambda x: (-x[4], -(x[1] - x[0]), x[0])):
            if all(s[1] <= c[0] or s[0] >= c[1] for c in chosen):
                chosen.append(s)
            else:
                # Merge a lower-priority span that sticks out past a chosen one, so nothing leaks.
                for i, c in enumerate(chosen):
                    if not (s[1] <= c[0] or s[0] >= c[1]) and (s[0] < c[0] or s[1] > c[1]):
                        chosen[i] = (min(c[0], s[0]), max(c[1], s[1]), c[2], c[3], c[4])
        merged = sorted(chosen, key=lambda x: x[0])
        out: list[tuple[int, int, PiiType, str]] = []
        for s in merged:
            if out and s[0] < out[-1][1]:
                prev = out[-1]
                out[-1] = (prev[0], max(prev[1], s[1]), prev[2], prev[3])
            else:
                out.append((s[0], s[1], s[2], s[3]))
        return out


# Words that end a request, never a surname: "name is joao please".
_CLAUSE_END_WORDS = frozenset(
    [
        "please",
        "pls",
        "plz",
        "thanks",
        "thank",
        "thx",
        "asap",
        "today",
        "tomorrow",
        "tonight",
        "now",
        "again",
        "too",
        "also",
        "later",
        "soon",
        "here",
        "there",
        "only",
        "instead",
        "directly",
        "urgently",
        "first",
        "next",
    ]
)


def _cued_initial_or_caps(
    text: str,
    at: int,
    col: _Collector,
    is_protected: Callable[[int, int], bool],
    not_names: frozenset[str],
    lex: Lexicon,
) -> bool:
    """Right after a name cue: an initial and a surname ("p. chen", "a. tanaka"), or a name in capitals
    ("PRADEEP B. D'ANGELO"); the surname, and each capital word, is no English word, term or product."""
    m = _INITIAL_SURNAME.match(text, at) or _CAPS_NAME.match(text, at)
    if m is None or is_protected(m.start(), m.end()):
        return False
    words = [w.strip(".'’-").lower() for w in m.group().split() if len(w.strip(".")) > 1]
    if not words or any(w in not_names or w in lex.english_words or w in lex.drugs for w in words):
        return False
    if m.group()[:2].lower() in ("e.", "i.") and re.match(r"[ei]\.\s?[eg]\.", m.group().lower()):
        return False  # "e.g.", "i.e."
    col.add(m.start(), m.end(), PiiType.PERSON, "person:cued_initial_or_caps", 6)
    return True


def _names(text: str, col: _Collector, protected: list[tuple[int, int]], lex: Lexicon) -> None:
    not_names = _not_names()
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    index_at = {s: i for i, (s, _, _) in enumerate(words)}

    def is_protected(s: int, e: int) -> bool:
        return any(not (e <= ps or s >= pe) for ps, pe in protected)

    def bare(w: str) -> str:
        w = w.lower()
        return w[:-2] if w.endswith(("'s", "’s")) else w

    def is_title(w: str) -> bool:
        return w[0].isupper() and (len(w) == 1 or not w.isupper() or len(w) <= 3)

    def extend(i: int, lowercase: bool = False) -> int:
        """Absorb following capitalised words (surnames), up to two; lowercase ones after "named"."""
        j = i
        for _ in range(2):
            if j + 1 >= len(words):
                break
            ns, _, nw = words[j + 1]
            gap = text[words[j][1] : ns]
            # "ask for eleni park": an English surname too, where the name ends the clause
            ends_clause = re.match(r"\s*(?:$|[,.;:!?)])", text[words[j + 1][1] :]) is not None
            lower_ok = (
                lowercase
                and nw.islower()
                and (
                    not _englishish(nw, lex.english_words)
                    or (ends_clause and nw not in _FUNCTION_WORDS and nw not in _CLAUSE_END_WORDS)
                )
                and nw not in not_names
                and nw not in lex.drugs
            )
            if (
                gap not in (" ", "-", " -", "- ")
                or not (is_title(nw) or lower_ok)
                or nw.isupper()
                or bare(nw) in not_names
            ):
                # Particles of surnames: "de la Cruz", "van Dijk".
                if gap == " " and nw.lower() in (
                    "de",
                    "del",
                    "la",
                    "van",
                    "von",
                    "der",
                    "da",
                    "di",
                    "le",
                    "st",
                    "bin",
                    "al",
                    "el",
                    "mac",
                    "mc",
                    "o",
                ):
                    j += 1
                    continue
                break
            j += 1
        return j

    def take(i: int, rule: str, priority: int = 5, lowercase: bool = False) -> None:
        j = extend(i, lowercase)
        s, e = words[i][0], words[j][1]
        col.add(s, e, PiiType.PERSON, rule, priority)
        # "Jorge Ruiz, 47," or "Ana (62)": a bare number right after a name is an age.
        age = _AGE_AFTER_NAME.match(text, e)
        if age:
            col.add(age.start(1), age.end(1), PiiType.AGE, "age:after_name", 6)

    def _surname_next(i: int) -> bool:
        """True when the next word is a capitalised word that is not English: a surname."""
        if i + 1 >= len(words) or text[words[i][1] : words[i + 1][0]] != " ":
            return False
        nw = words[i + 1][2]
        return (
            is_title(nw)
            and not nw.isupper()
            and bare(nw) not in not_names
            and not _englishish(bare(nw), lex.english_words)
            and not is_protected(words[i + 1][0], words[i + 1][1])
        )

    # a) Titles: "Mr. Smith", "Dr Patel", "mrs jones".
    for m in _TITLE.finditer(text):
        i = index_at.get(m.end())
        if i is None:
            continue
        if _cued_initial_or_caps(text, m.end(), col, is_protected, not_names, lex):
            continue  # "dr a. tanaka"
        w = words[i][2]
        if bare(w) in _FUNCTION_WORDS and not is_title(w):
            continue
        if bare(w) in not_names or is_protected(words[i][0], words[i][1]):
            continue  # "nurse quelvarimab", "Dr PASI": a product or clinical term, not a name
        if is_title(w) or bare(w) not in lex.english_words:
            take(i, "person:title", 6)
    # b) Trigger words: "my patient Sarah", "named john", "pt J.D.", "Hi Maria".
    for m in _TRIGGER.finditer(text):
        after = m.end()
        im = _INITIALS.match(text, after) or (
            _CAPS_INITIALS.match(text, after)
            if re.match(r"(?i)pt|patient|initials|pts|client", m.group())
            else None
        )
        if (
            im
            and im.group() not in _INITIALS_NOT
            and not is_protected(im.start(), im.end())
            and bare(im.group().strip(".")) not in not_names
        ):
            col.add(im.start(), im.end(), PiiType.PERSON, "person:initials", 6)
            continue
        if _cued_initial_or_caps(text, after, col, is_protected, not_names, lex):
            continue
        i = index_at.get(after)
        if i is None:
            continue
        w = words[i][2]
        lw = bare(w)
        lowercase_ok = _LOWERCASE_TRIGGERS.match(m.group()) is not None or (
            _ASK_FOR.match(m.group()) is not None and len(lw) >= 3 and not _englishish(lw, lex.english_words)
        )
        if lw in not_names or is_protected(words[i][0], words[i][1]):
            continue
        if is_title(w) and not w.isupper():
            strong = re.match(
                r"(?i)(?:patient|pt|pts|client|named|name|called|goes|known|my name|mother|father|husband|wife|"
                r"son|daughter|sister|brother|partner|caregiver|carer|mom|mum|dad|friend|colleague|hi|hello|"
                r"hey|dear|thanks|thank|regards|sincerely|cheers|signed|this is|i am|i'm|attn)",
                m.group(),
            )
            if strong or lw not in lex.english_words or lw in lex.first_names:
                take(i, "person:trigger", 5)
        elif lowercase_ok and lw not in lex.english_words:
            take(i, "person:named", 5, lowercase=True)
        elif lw in lex.first_names and _STRONG_TRIGGER.match(m.group()):
            take(i, "person:trigger_lowercase", 5, lowercase=True)  # "my patient sarah jones"
    # A name in capitals opening a record line: "HANNAH M. HERNÁNDEZ, MRN: H00197566".
    for m in _CAPS_NAME.finditer(text):
        if _sentence_initial(text, m.start()) and _RECORD_AFTER.match(text, m.end()):
            _cued_initial_or_caps(text, m.start(), col, is_protected, not_names, lex)
    # c) Initials anywhere ("J.D. developed hives") and capital initials before an age ("JD, 45F").
    for m in _INITIALS.finditer(text):
        if m.group() not in _INITIALS_NOT and m.group().rstrip(".") + "." not in _INITIALS_NOT:
            col.add(m.start(), m.end(), PiiType.PERSON, "person:initials", 6)
    for m in _LOWER_INITIALS.finditer(text):
        if m.group().replace(" ", "") not in _LOWER_INITIALS_NOT:
            col.add(m.start(), m.end(), PiiType.PERSON, "person:initials_lowercase", 6)
    for m in _CAPS_INITIALS.finditer(text):
        if bare(m.group()) in not_names or is_protected(m.start(), m.end()):
            continue
        if _AGE_AFTER.match(text[m.end() : m.end() + 12]):
            col.add(m.start(), m.end(), PiiType.PERSON, "person:initials_age", 6)
    # d) Known given names and unknown capitalised words.
    for i, (s, e, w) in enumerate(words):
        if not is_title(w) or (w.isupper() and len(w) > 1):
            continue
        lw = bare(w)
        if lw in not_names or is_protected(s, e) or len(lw) < 2:
            continue
        initial = _sentence_initial(text, s)
        if (
            initial
            and _TWO_WORD_NAME.match(text, s)
            and (lw in lex.first_names or bare(words[i + 1][2]) not in lex.english_words)
            and bare(words[i + 1][2]) not in not_names
            and not is_protected(s, words[i + 1][1])
        ):
            take(i, "person:two_word_name", 4)  # "Summer Hayes got shingles": a name, English or not
            continue
        if lw in lex.first_names:
            if lw in lex.english_words and initial and not _surname_next(i):
                continue  # "Will you...", "Grace period" (but "Maria Lopez developed ...")
            take(i, "person:given_name", 4)
        elif len(lw) >= 3 and not _englishish(lw, lex.english_words) and not disease_shaped(lw):
            if lw in lex.term_words:
                continue  # "Oedema Of Pharynx": a word of a disease name, and no name cue before it
            # At a sentence start a capital letter proves nothing: need a name-like context.
            if initial and not _NAME_CONTEXT.match(text, e) and not _surname_next(i):
                continue
            if product_named_here(text, s, e) or MRN_KEYWORD.match(text, s):
                # "calibrate my Omnipod 5", "the Zio patch", "doses of Arexvy": a product, not a person; and
                # "Fallnummer 12345" is a record label
                continue
            take(i, "person:capitalised_unknown", 3)
