"""A crude, deterministic stemmer used on both the event patterns and the message, so inflections meet
("swelled" and "swollen" meet "swell", "itching" meets "itch")."""

from __future__ import annotations

from functools import lru_cache

_IRREGULAR = {
    "swollen": "swell",
    "swelled": "swell",
    "fell": "fall",
    "fallen": "fall",
    "threw": "throw",
    "thrown": "throw",
    "broke": "break",
    "broken": "break",
    "woke": "wake",
    "came": "come",
    "got": "get",
    "gotten": "get",
    "felt": "feel",
    "lost": "lose",
    "bled": "bleed",
    "became": "become",
    "began": "begin",
    "went": "go",
    "gone": "go",
    "was": "be",
    "were": "be",
    "is": "be",
    "are": "be",
    "been": "be",
    "has": "have",
    "had": "have",
    "hurt": "hurt",
    "ran": "run",
    "kept": "keep",
    "left": "leave",
    "felt's": "feel",
    "sore": "sore",
    "worse": "worse",
    "passed": "pass",
}
_SUFFIXES = ("ening", "ened", "ness", "ings", "ing", "edly", "ied", "ies", "ed", "es", "en", "ly", "s")


@lru_cache(maxsize=1 << 16)  # pure, and most words recur; bounded, as message words are anyone's
def stem(word: str) -> str:
    """A crude, deterministic stem used on both patterns and text, so inflections meet."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 4 or not word.isalpha():
        return word
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            word = word[: -len(suf)] + ("y" if suf in ("ied", "ies") else "")
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    return word
