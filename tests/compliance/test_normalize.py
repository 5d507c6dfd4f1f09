"""Normalisation against evasion keeps a map back to the original text."""

from __future__ import annotations

import pytest

from compliance.nlp.lexicon import get_lexicon
from compliance.nlp.normalize import normalize, normalize_chars


def _norm(text: str) -> str:
    return normalize(text, get_lexicon().is_known_word).text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Qu\u0435lv\u0430nti", "Quelvanti"),  # Cyrillic e and a
        ("Ｑｕｅｌｖａｎｔｉ", "Quelvanti"),  # full-width
        ("𝐫𝐚𝐬𝐡", "rash"),  # mathematical bold
        ("ras\u200bh", "rash"),  # zero-width space
        ("c e l l u l i t i s", "cellulitis"),
        ("s.e.i.z.u.r.e", "seizure"),
        ("q-l-v", "qlv"),
        ("r4sh", "rash"),
        ("qu3lv4nti", "quelvanti"),
        ("1gn0re", "ignore"),
        ("caf\u0065\u0301", "cafe"),  # combining accent
        ("it\u2019s", "it's"),
    ],
)
def test_normalize_undoes_obfuscation(raw: str, expected: str) -> None:
    assert _norm(raw) == expected


def test_article_is_not_glued_to_spaced_word() -> None:
    assert _norm("got a c e l l u l i t i s") == "got a cellulitis"


def test_leetspeak_leaves_ordinary_numbers_alone() -> None:
    text = "100mg at week 4 then q8w, IL-23, PASI90"
    assert _norm(text) == text


def test_ascii_stage1_is_identity() -> None:
    n = normalize_chars("plain ascii text")
    assert n.text == "plain ascii text"
    assert n.to_original(6, 11) == (6, 11)


def test_offsets_map_back_through_every_stage() -> None:
    original = "pt got c e l l u l i t i s after Qu\u0435l\u200bvanti"
    n = normalize(original, get_lexicon().is_known_word)
    start = n.text.index("cellulitis")
    s, e = n.to_original(start, start + len("cellulitis"))
    assert original[s:e] == "c e l l u l i t i s"
    start = n.text.index("Quelvanti")
    s, e = n.to_original(start, start + len("Quelvanti"))
    assert original[s:e] == "Qu\u0435l\u200bvanti"


def test_dropped_combining_mark_is_inside_the_span() -> None:
    original = "Jose\u0301 called"
    n = normalize_chars(original)
    assert n.text == "Jose called"
    assert n.to_original(0, 4) == (0, 5)
