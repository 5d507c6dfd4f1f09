"""Normalisation against evasion, with an offset map back to the original text.

Stage 1 (`normalize_chars`) works per character: NFKC, look-alike letters from other
scripts, zero-width and combining characters, typographic quotes and dashes. PII is
detected on stage 1 so that e-mail addresses and numbers keep their punctuation.
Stage 2 (`normalize`) also joins spaced or dotted letters ("c e l l u l i t i s") and undoes
leetspeak when the result is a known term. Every character of a normalised text remembers
the original characters it came from, so every span is reported on the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import product

# Characters that render as nothing; attackers put them inside words to split them.
_INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u3164\ufeff\uffa0"
)

# Look-alike letters (Cyrillic, Greek, others) and typographic punctuation that NFKC keeps.
_CONFUSABLES: dict[str, str] = {
    # Cyrillic lower case
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "ѕ": "s",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "һ": "h",
    "ӏ": "l",
    "ɡ": "g",
    "ү": "y",
    "ⅼ": "l",
    "ո": "n",
    "ս": "u",
    # Cyrillic upper case
    "А": "A",
    "В": "B",
    "Е": "E",
    "Ё": "E",
    "К": "K",
    "М": "M",
    "Н": "H",
    "О": "O",
    "Р": "P",
    "С": "C",
    "Т": "T",
    "У": "Y",
    "Х": "X",
    "І": "I",
    "Ї": "I",
    "Ј": "J",
    "Ѕ": "S",
    "Ԛ": "Q",
    "Ԝ": "W",
    "Ү": "Y",
    "Һ": "H",
    "Ӏ": "I",
    # Greek
    "α": "a",
    "β": "b",
    "γ": "y",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "ω": "w",
    "ϲ": "c",
    "ς": "s",
    "Α": "A",
    "Β": "B",
    "Ε": "E",
    "Ζ": "Z",
    "Η": "H",
    "Ι": "I",
    "Κ": "K",
    "Μ": "M",
    "Ν": "N",
    "Ο": "O",
    "Ρ": "P",
    "Τ": "T",
    "Υ": "Y",
    "Χ": "X",
    "Ϲ": "C",
    # Latin look-alikes outside ASCII that NFKC leaves alone
    "ı": "i",
    "ȷ": "j",
    "ł": "l",
    "Ł": "L",
    "ø": "o",
    "Ø": "O",
    "đ": "d",
    "Đ": "D",
    "ß": "ss",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ɑ": "a",
    "ɩ": "i",
    "ʏ": "y",
    "ᴏ": "o",
    # Typographic punctuation
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u00b7": ".",
    "\u2022": ".",
    "\u2024": ".",
    "\u2027": ".",
    "\u00a0": " ",
    "\u2026": "...",
}

# Letters separated by single spaces, dots, hyphens, underscores or stars: "c e l l u l i t i s".
_SPACED = re.compile(r"(?<![A-Za-z0-9/\'&])(?:[A-Za-z][ ._*\-]{1,2}){2,}[A-Za-z](?![A-Za-z0-9])")
_SPACED_SEPARATORS = frozenset(" ._*-")

# Tokens mixing letters with digits or symbols that stand for letters.
_LEET_TOKEN = re.compile(r"[A-Za-z0-9@$!|+€]*[A-Za-z][A-Za-z0-9@$!|+€]*")
_LEET_CHARS = frozenset("0134578@$!|+€9")
_LEET_MAP: dict[str, tuple[str, ...]] = {
    "0": ("o",),
    "1": ("i", "l"),
    "3": ("e",),
    "4": ("a",),
    "5": ("s",),
    "7": ("t",),
    "8": ("b",),
    "9": ("g",),
    "@": ("a",),
    "$": ("s",),
    "!": ("i", "l"),
    "|": ("l", "i"),
    "+": ("t",),
    "€": ("e",),
}


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A normalised text and, per character, the original range it came from."""

    original: str
    text: str
    starts: list[int] | None = None  # None means the identity map
    ends: list[int] | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of `text` to the original text."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def _fold_char(ch: str) -> str:
    """Fold one non-ASCII character to its plain-Latin form (possibly empty or several chars)."""
    mapped = _CONFUSABLES.get(ch)
    if mapped is not None:
        return mapped
    folded = unicodedata.normalize("NFKC", ch)
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(_CONFUSABLES.get(c, c) for c in decomposed if not unicodedata.combining(c))
    # Keep str.lower() length-preserving downstream: a few letters lower-case to two chars.
    return "".join(c if len(c.lower()) == 1 else c.lower()[0] for c in folded)


def normalize_chars(text: str) -> NormalizedText:
    """Stage 1: per-character folding (NFKC, homoglyphs, invisible characters)."""
    if text.isascii():
        return NormalizedText(text, text)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            out.append(ch)
            starts.append(i)
            ends.append(i + 1)
            continue
        if ch in _INVISIBLE or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            # Dropped characters widen the previous character's span so redaction covers them.
            if ends:
                ends[-1] = i + 1
            continue
        for c in _fold_char(ch):
            out.append(c)
            starts.append(i)
            ends.append(i + 1)
    return NormalizedText(text, "".join(out), starts, ends)


def _compose(base: NormalizedText, text: str, starts: list[int], ends: list[int]) -> NormalizedText:
    """Build a NormalizedText whose offsets index `base.text`, mapped through to the original."""
    if base.starts is None or base.ends is None:
        return NormalizedText(base.original, text, starts, ends)
    bs, be = base.starts, base.ends
    return NormalizedText(
        base.original,
        text,
        [bs[s] for s in starts],
        [be[e - 1] if e > 0 else 0 for e in ends],
    )


def _deleet_candidates(token: str) -> Iterable[str]:
    """All readings of a leetspeak token (a few at most)."""
    options = [_LEET_MAP.get(c, (c,)) for c in token.lower()]
    count = 1
    for o in options:
        count *= len(o)
    if count > 16:  # why: bound the work on long symbol runs
        options = [(o[0],) for o in options]
    for combo in product(*options):
        yield "".join(combo)


def normalize(
    text: str,
    is_known: Callable[[str], bool] | None = None,
    stage1: NormalizedText | None = None,
) -> NormalizedText:
    """Stage 2: stage 1 plus joined spaced letters and leetspeak resolved against known terms."""
    base = stage1 if stage1 is not None else normalize_chars(text)
    current = base.text
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    changed = False
    pos = 0
    for m in _SPACED.finditer(current):
        mstart = m.start()
        letters = "".join(c for c in m.group() if c not in _SPACED_SEPARATORS)
        if (
            is_known is not None
            and letters[0] in "aAiI"
            and not is_known(letters.lower())
            and is_known(letters[1:].lower())
        ):
            # "got a c e l l u l i t i s": the article is a word of its own.
            mstart += 1
            while current[mstart] in _SPACED_SEPARATORS:
                mstart += 1
        changed = True
        for i in range(pos, mstart):
            pieces.append(current[i])
            starts.append(i)
            ends.append(i + 1)
        for i in range(mstart, m.end()):
            if current[i] not in _SPACED_SEPARATORS:
                pieces.append(current[i])
                starts.append(i)
                ends.append(i + 1)
        pos = m.end()
    if changed:
        for i in range(pos, len(current)):
            pieces.append(current[i])
            starts.append(i)
            ends.append(i + 1)
        result = _compose(base, "".join(pieces), starts, ends)
    else:
        result = base

    if is_known is None:
        return result
    chars: list[str] | None = None
    for m in _LEET_TOKEN.finditer(result.text):
        token = m.group()
        if len(token) < 3 or not any(c in _LEET_CHARS for c in token):
            continue
        if token.isalpha():
            continue
        for candidate in _deleet_candidates(token):
            if candidate.isalpha() and is_known(candidate):
                if chars is None:
                    chars = list(result.text)
                # Same length replacement: offsets stay valid; keep the writer's capitalisation.
                for k, c in enumerate(candidate):
                    orig = chars[m.start() + k]
                    chars[m.start() + k] = c.upper() if orig.isupper() else c
                break
    if chars is None:
        return result
    return NormalizedText(result.original, "".join(chars), result.starts, result.ends)
