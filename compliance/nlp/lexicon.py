"""Vocabulary loaded once from the data files in `vocab/`."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

VOCAB_DIR = Path(__file__).resolve().parents[1] / "vocab"


def _load_yaml(name: str) -> dict[str, Any]:
    with (VOCAB_DIR / name).open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"vocabulary file {name} is not a mapping")
    return data


def _load_words(name: str) -> frozenset[str]:
    words: set[str] = set()
    with (VOCAB_DIR / name).open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            words.update(w.strip().lower() for w in line.split() if w.strip())
    return frozenset(words)


def _with_unaccented(words: frozenset[str]) -> frozenset[str]:
    """The words and their accent-free spellings ("après" and "apres"): text is matched unaccented too."""
    plain = {unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode() for w in words}
    return words | frozenset(p for p in plain if p)


def _load_tsv(name: str) -> dict[str, str]:
    """A generated two-or-more column table (first column -> second), skipping comments."""
    out: dict[str, str] = {}
    with (VOCAB_DIR / name).open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2:
                out[cols[0]] = cols[1]
    return out


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _with_plurals(phrases: list[str]) -> list[str]:
    """Add the plural of the last word of each phrase: lay wordings vary in number."""
    out: list[str] = []
    for p in phrases:
        p = str(p).strip().lower()
        if not p:
            continue
        out.append(p)
        last = p.split()[-1]
        if (
            last.isalpha()
            and len(last) > 4
            and last.endswith("s")
            and not last.endswith(("ss", "us", "is", "ous"))
        ):
            out.append(p[: len(p) - 1])  # "welts" -> "welt"
        if last.isalpha() and len(last) > 3 and not last.endswith(("ed", "ing", "ly", "us", "is")):
            out.append(p[: len(p) - len(last)] + _plural(last))
    return out


@dataclass(frozen=True)
class Lexicon:
    """All term lists the detectors use, keyed the way the matchers need them."""

    events: dict[str, list[str]]
    events_case_sensitive: dict[str, list[str]]
    lack_of_efficacy: list[str]
    product_aliases: list[str]
    product_canonical: str
    product_fuzzy_targets: list[str]
    competitors: dict[str, list[str]]
    systemic_therapies: list[str]
    indications: dict[str, list[str]]
    indications_case_sensitive: dict[str, list[str]]
    populations: dict[str, list[str]]
    event_patterns: dict[str, re.Pattern[str]]
    dose_patterns: list[re.Pattern[str]]
    comparison_cues: list[str]
    explicit_off_label: list[str]
    abuse: dict[str, Any]
    first_names: frozenset[str]
    english_words: frozenset[str]
    known_terms: frozenset[str]
    single_words: frozenset[str] = field(default_factory=frozenset)
    terminology_events: dict[str, str] = field(default_factory=dict)
    drugs: dict[str, str] = field(default_factory=dict)
    foreign_terms: frozenset[str] = field(default_factory=frozenset)
    # Every word (4+ letters) of a generated terminology term: "pharynx", "micturition", "parkinson".
    term_words: frozenset[str] = field(default_factory=frozenset)
    # "the medicine", "it": references that name no product (products.yaml `generic_references`).
    generic_references: frozenset[str] = field(default_factory=frozenset)
    # Common words of other languages (vocab/foreign_words.txt): never read as names.
    foreign_words: frozenset[str] = field(default_factory=frozenset)

    def is_known_word(self, word: str) -> bool:
        """True when a lowercase word is a term the detectors care about (used to undo leetspeak)."""
        return word in self.single_words


_INFLECTIONS = (
    "s",
    "es",
    "ed",
    "d",
    "ing",
    "er",
    "ers",
    "ly",
    "ies",
    "ied",
    "ness",
    "ment",
    "able",
    "ation",
    "ised",
    "ized",
)


def is_english_word(word: str, english: frozenset[str]) -> bool:
    """An English word or an inflection of one (no compound splitting: "haddad" is not "had" + "dad")."""
    if word in english:
        return True
    for suf in _INFLECTIONS:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            stem = word[: -len(suf)]
            if stem in english or stem + "e" in english or stem + "y" in english:
                return True
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in english:
                return True
    return False


@cache
def get_lexicon() -> Lexicon:
    """Load and cache every vocabulary file."""
    ev = _load_yaml("events.yaml")
    pr = _load_yaml("products.yaml")
    ol = _load_yaml("off_label.yaml")
    ab = _load_yaml("abuse.yaml")
    kt = _load_yaml("known_terms.yaml")

    events = {str(k): _with_plurals(list(v)) for k, v in ev["events"].items()}
    foreign = {str(k): [str(x).lower() for x in v] for k, v in (ev.get("events_foreign") or {}).items()}
    foreign_terms = frozenset(t for v in foreign.values() for t in v) - {t for v in events.values() for t in v}
    events_cs = {str(k): [str(x) for x in v] for k, v in ev["case_sensitive"].items()}
    loe = [str(x).lower() for x in ev["lack_of_efficacy"]]
    q = _load_yaml("brand_profile.yaml")["product"]
    competitors = {str(k): [str(x).lower() for x in v] for k, v in pr["competitors"].items()}
    indications = {str(k): [str(x).lower() for x in v] for k, v in ol["indications"].items()}
    indications_cs = {str(k): [str(x) for x in v] for k, v in ol["indications_case_sensitive"].items()}
    populations = {str(k): [str(x).lower() for x in v] for k, v in ol["populations"].items()}

    single: set[str] = set()
    for phrases in (*events.values(), loe, q["aliases"], *competitors.values(), *indications.values()):
        for p in phrases:
            single.update(w for w in str(p).lower().split() if w.isalpha() and len(w) >= 3)
    single.update(str(w).lower() for w in ab["insults"] if " " not in str(w))
    # Words of the abuse regexes that obfuscation targets most.
    single.update(
        [
            "fuck",
            "fucking",
            "shit",
            "bitch",
            "idiot",
            "stupid",
            "moron",
            "ignore",
            "disregard",
            "forget",
            "previous",
            "prior",
            "instructions",
            "rules",
            "prompt",
            "system",
            "override",
            "jailbreak",
            "pretend",
            "admin",
            "select",
            "union",
            "drop",
            "table",
            "delete",
            "insert",
            "script",
            # Special situations are AEs too: "pr3gnant", "0verd0se", "expir3d" must read back.
            "pregnant",
            "pregnancy",
            "breastfeeding",
            "nursing",
            "overdose",
            "overdosed",
            "double",
            "doubled",
            "extra",
            "expired",
            "frozen",
            "mistake",
            "accident",
            "accidentally",
            "wrong",
            "working",
            "worked",
            "work",
            "not",
            "still",
            "failed",
            "failure",
            "response",
            "improvement",
            "injected",
            "dose",
            "pens",
        ]
    )
    # Foreign wordings match as phrases only: no plurals, no fuzzy typo index, no leetspeak undo.
    for label, phrases in foreign.items():
        events.setdefault(label, [])
        events[label] = events[label] + [p for p in phrases if p not in events[label]]
    curated = {p for v in events.values() for p in v}
    own = {str(a).lower() for a in q["aliases"]} | {c for v in competitors.values() for c in v}
    terminology = {t: lab for t, lab in _load_tsv("terminology/events.tsv").items() if t not in curated}
    drugs = {d: g for d, g in _load_tsv("terminology/drugs.tsv").items() if d not in own and d not in curated}
    drugs.update({str(d).lower(): str(d).lower() for d in pr.get("everyday_drugs", ())})
    known = {str(t).lower() for t in kt["terms"]}
    for phrases in (*events.values(), *competitors.values(), *indications.values(), q["aliases"]):
        for p in phrases:
            known.update(str(p).lower().split())
    return Lexicon(
        events=events,
        events_case_sensitive=events_cs,
        lack_of_efficacy=loe,
        product_aliases=[str(a).lower() for a in q["aliases"]],
        product_canonical=str(q["canonical"]),
        product_fuzzy_targets=[str(t).lower() for t in q["fuzzy_targets"]],
        competitors=competitors,
        systemic_therapies=[str(x).lower() for x in pr["systemic_therapies"]],
        indications=indications,
        indications_case_sensitive=indications_cs,
        populations=populations,
        event_patterns={str(k): re.compile(str(v)) for k, v in ev["patterns"].items()},
        dose_patterns=[re.compile(p) for p in ol["dose_patterns"]],
        comparison_cues=[str(x).lower() for x in ol["comparison_cues"]],
        explicit_off_label=[str(x).lower() for x in ol["explicit"]],
        abuse=ab,
        first_names=_load_words("first_names.txt"),
        english_words=_load_words("english_words.txt"),
        known_terms=frozenset(known),
        single_words=frozenset(single),
        foreign_terms=foreign_terms,
        terminology_events=terminology,
        term_words=frozenset(w for t in terminology for w in re.findall(r"[a-z]{4,}", t)),
        drugs=drugs,
        generic_references=frozenset(str(x).lower() for x in pr.get("generic_references", [])),
        foreign_words=_with_unaccented(_load_words("foreign_words.txt")),
    )
