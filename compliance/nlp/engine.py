"""The spaCy engine: a blank English tokenizer plus phrase matchers, built lazily once."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import ahocorasick

from compliance.nlp.lexicon import Lexicon, get_lexicon, is_english_word
from compliance.nlp.morphology import disease_shaped, named_conditions
from compliance.nlp.normalize import NormalizedText, normalize, normalize_chars
from compliance.nlp.stemming import stem
from compliance.nlp.text import Segment, split_segments

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc, Token

EVENT = "EVENT"
LOE = "LOE"
PRODUCT = "PRODUCT"
COMPETITOR = "COMPETITOR"
SYSTEMIC = "SYSTEMIC"
INDICATION = "IND"
POPULATION = "POP"
EXPLICIT = "EXPLICIT"
COMPARISON = "COMPARE"
DRUG = "DRUG"


@dataclass(frozen=True, slots=True)
class TermMatch:
    """A vocabulary hit on the normalised text."""

    kind: str
    label: str
    start: int
    end: int
    text: str
    rule: str


@dataclass(frozen=True)
class Analysis:
    """Everything the detectors share for one message."""

    original: str
    chars: NormalizedText  # stage 1: for PII
    norm: NormalizedText  # stage 2: for terms and context
    lower: str
    segments: list[Segment]
    matches: list[TermMatch]
    # Every terminology or drug term found, also where a curated term won the overlap ("Depressed Hdl
    # Cholesterol" is read as "depressed"): vocabulary words are never names.
    term_spans: list[tuple[int, int]] = field(default_factory=list)

    @cached_property
    def _by_kind(self) -> dict[str, list[TermMatch]]:
        by_kind: dict[str, list[TermMatch]] = {}
        for m in self.matches:
            by_kind.setdefault(m.kind, []).append(m)
        return by_kind

    def of_kind(self, *kinds: str) -> list[TermMatch]:
        """Matches of the given kinds, in text order (a new list: callers may change it)."""
        if len(kinds) == 1:
            return list(self._by_kind.get(kinds[0], ()))
        return [m for m in self.matches if m.kind in kinds]

    def segment_of(self, pos: int) -> Segment:
        """The segment containing a normalised offset."""
        for seg in self.segments:
            if seg.start <= pos < seg.end:
                return seg
        for seg in reversed(self.segments):
            if seg.start <= pos:
                return seg
        return Segment(0, len(self.lower), 0, len(self.lower))

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span to the original text."""
        return self.norm.to_original(start, end)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _damerau(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, giving up above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


class Engine:
    """Tokenizer, matchers and fuzzy indexes; one per process, shared by all calls."""

    def __init__(self, lexicon: Lexicon) -> None:
        import spacy
        from spacy.matcher import PhraseMatcher

        self.lexicon = lexicon
        self.nlp: Language = spacy.blank("en")
        self.lower_matcher: PhraseMatcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.orth_matcher: PhraseMatcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._add(self.lower_matcher, EVENT, lexicon.events)
        # Multi-word event wordings also match on crude stems: "throat tightened", "lips swelling up".
        self.stem_matcher: PhraseMatcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        for label, phrases in lexicon.events.items():
            docs = []
            for p in dict.fromkeys(phrases):
                if " " not in p:
                    continue
                d = self.nlp.make_doc(p)
                for t in d:
                    t.norm_ = stem(t.lower_)
                docs.append(d)
            if docs:
                self.stem_matcher.add(f"{EVENT}|{label}", docs)
        self._add(self.orth_matcher, EVENT, lexicon.events_case_sensitive)
        self._add(self.lower_matcher, LOE, {"lack of efficacy": lexicon.lack_of_efficacy})
        self._add(self.lower_matcher, PRODUCT, {lexicon.product_canonical: lexicon.product_aliases})
        self._add(self.lower_matcher, COMPETITOR, lexicon.competitors)
        self._add(self.lower_matcher, SYSTEMIC, {t: [t] for t in lexicon.systemic_therapies})
        self._add(self.lower_matcher, INDICATION, lexicon.indications)
        self._add(self.orth_matcher, INDICATION, lexicon.indications_case_sensitive)
        self._add(self.lower_matcher, POPULATION, lexicon.populations)
        self._add(self.lower_matcher, EXPLICIT, {"off-label": lexicon.explicit_off_label})
        self._add(self.lower_matcher, COMPARISON, {"comparison": lexicon.comparison_cues})
        # The generated terminology (HPO + ICD-10-CM) and drug dictionary: tens of thousands of terms,
        # one pattern each, labelled with the preferred term (events) or the generic name (drugs).
        # An Aho-Corasick automaton builds in a fraction of a second where tokenising every pattern for
        # a PhraseMatcher takes seconds; matches are kept only on word boundaries.
        self._terms = ahocorasick.Automaton()
        for kind, table in ((DRUG, lexicon.drugs), (EVENT, lexicon.terminology_events)):
            for term, label in table.items():
                self._terms.add_word(term, (kind, label, len(term)))
        self._terms.make_automaton()
        # Fuzzy index over single-word event terms: catches one-letter typos ("celulitis").
        self._fuzzy: dict[str, set[str]] = {}
        self._fuzzy_label: dict[str, str] = {}
        for label, phrases in lexicon.events.items():
            for p in phrases:
                if " " in p or not p.isalpha() or len(p) < 6 or p in lexicon.foreign_terms:
                    continue
                self._fuzzy_label[p] = label
                for v in _deletes(p) | {p}:
                    self._fuzzy.setdefault(v, set()).add(p)

    def _add(self, matcher: PhraseMatcher, kind: str, table: dict[str, list[str]]) -> None:
        for label, phrases in table.items():
            docs = [self.nlp.make_doc(p) for p in dict.fromkeys(phrases)]
            matcher.add(f"{kind}|{label}", docs)

    def _terminology(self, text: str, lower: str) -> list[TermMatch]:
        """Generated terminology and drug names found on word boundaries of the normalised text."""
        out: list[TermMatch] = []
        n = len(lower)
        for end, (kind, label, length) in self._terms.iter(lower):
            start = end - length + 1
            if (start > 0 and (lower[start - 1].isalnum() or lower[start - 1] in "-'")) or (
                end + 1 < n and (lower[end + 1].isalnum() or lower[end + 1] == "-")
            ):
                continue
            out.append(TermMatch(kind, label, start, end + 1, text[start : end + 1], "terminology"))
        return out

    def _fuzzy_event(self, word: str) -> str | None:
        candidates: set[str] = set()
        for v in _deletes(word) | {word}:
            hit = self._fuzzy.get(v)
            if hit:
                candidates |= hit
        for c in sorted(candidates):
            if c[0] == word[0] and _damerau(word, c, 1 if len(c) < 9 else 2) <= (1 if len(c) < 9 else 2):
                return c
        return None

    def _unknown(self, word: str) -> bool:
        lex = self.lexicon
        return (
            word.isalpha()
            and len(word) >= 3
            and not is_english_word(word, lex.english_words)
            and word not in lex.known_terms
            and word not in lex.drugs
            and word not in lex.terminology_events
            and word not in lex.foreign_words
        )

    def _everyday_word(self, word: str) -> bool:
        lex = self.lexicon
        return word in lex.english_words or word in lex.known_terms or word in lex.drugs or word.isdigit()

    def _in_name_run(self, doc: Doc, tok: Token) -> bool:
        """The word is capitalised mid-sentence or stands beside another word unknown to every vocabulary,
        joined by one space ("milena fonua"): a name, where a near-miss of an event word is a person."""
        if tok.is_title and tok.i > 0 and doc[tok.i - 1].text not in ".!?:;":
            return True  # "Nagy, Milena": capitalised mid-sentence, a name rather than a typo
        for j in (tok.i - 1, tok.i + 1):
            if 0 <= j < len(doc):
                other = doc[j]
                left = other if j < tok.i else tok
                if left.whitespace_ == " " and self._unknown(other.lower_):
                    return True
        return False

    def _fuzzy_product(self, word: str) -> bool:
        if len(word) < 6 or word[0] not in "qk":
            return False
        return any(_damerau(word, target, 2) <= 2 for target in self.lexicon.product_fuzzy_targets)

    def analyse(self, text: str) -> Analysis:
        """Normalise, tokenise and match one message."""
        lex = self.lexicon
        chars = normalize_chars(text)
        norm = normalize(text, lex.is_known_word, stage1=chars)
        doc = self.nlp.make_doc(_break_long_runs(norm.text))
        strings = self.nlp.vocab.strings
        raw: list[TermMatch] = []
        covered: set[int] = set()
        for tok in doc:
            tok.norm_ = stem(tok.lower_)
        for matcher, rule in (
            (self.lower_matcher, "phrase"),
            (self.orth_matcher, "abbreviation"),
            (self.stem_matcher, "stem"),
        ):
            for match_id, s, e in matcher(doc):
                kind, _, label = strings[match_id].partition("|")
                span = doc[s:e]
                raw.append(TermMatch(kind, label, span.start_char, span.end_char, span.text, rule))
                if kind in (EVENT, PRODUCT, DRUG):
                    covered.update(range(s, e))
        covered_chars = {c for i in covered for c in range(doc[i].idx, doc[i].idx + len(doc[i]))}
        for tok in doc:
            if tok.i in covered or not tok.is_alpha or len(tok.text) < 6:
                continue
            low = tok.lower_
            if self._fuzzy_product(low):
                raw.append(
                    TermMatch(PRODUCT, lex.product_canonical, tok.idx, tok.idx + len(tok), tok.text, "fuzzy")
                )
                continue
            if low in lex.english_words or low in lex.known_terms:
                continue
            if disease_shaped(low) and low not in lex.drugs and low not in lex.first_names:
                # "methaemoglobinaemia", "amyopathic dermatomyositis": a rare or British-spelled event word
                raw.append(TermMatch(EVENT, low, tok.idx, tok.idx + len(tok), tok.text, "morphology"))
                continue
            if self._in_name_run(doc, tok):
                continue  # "pt milena fonua": a name beside an unknown word is not a typo of "melena"
            hit = self._fuzzy_event(low)
            if hit is not None:
                raw.append(
                    TermMatch(EVENT, self._fuzzy_label[hit], tok.idx, tok.idx + len(tok), tok.text, "fuzzy")
                )
        lower = norm.text.lower()
        term_spans: list[tuple[int, int]] = []
        if len(lower) == len(norm.text):
            for tm in self._terminology(norm.text, lower):
                term_spans.append((tm.start, tm.end))
                if not any(c in covered_chars for c in range(tm.start, tm.end)) or tm.kind == DRUG:
                    raw.append(tm)
                elif _contains_curated(tm, raw):
                    # "enteroviral exanthematous fever" is one term, not "fever" after two unknown words
                    # (which the name rules would take for a person): the longer term wins.
                    raw.append(tm)
        events_at = {c for m in raw for c in range(m.start, m.end)}  # a known term or indication wins
        for ns, ne in named_conditions(lower, self._everyday_word, lex.first_names.__contains__):
            # "quelvanti present sjogren's syndrome": the name starts after a known term inside the span
            inside = [c for c in range(ns, ne) if c in events_at]
            if inside:
                ns = _after_term(lower, max(inside) + 1, ne)
            if ns < ne and " " in lower[ns:ne].strip():
                raw.append(TermMatch(EVENT, lower[ns:ne], ns, ne, norm.text[ns:ne], "morphology"))
        for label, pattern in lex.event_patterns.items():
            for m in pattern.finditer(lower):
                raw.append(TermMatch(EVENT, label, m.start(), m.end(), norm.text[m.start() : m.end()], "pattern"))
        # Spanish/Italian "mi" ("Mi paciente", "mi hijo") is a possessive, not a myocardial infarction.
        raw = [
            m for m in raw if not (m.kind == EVENT and m.text.lower() == "mi" and _FOREIGN_MI.match(lower, m.end))
        ]
        return Analysis(text, chars, norm, lower, split_segments(norm.text), _longest_per_kind(raw), term_spans)


_FOREIGN_MI = re.compile(
    r"\s+(?:paciente|pacientes|paziente|pazienti|hij[oa]s?|figli[oa]|madre|padre|esposo|esposa|marido|mujer|"
    r"amig[oa]|bebe|beb[eè]|nin[oa]|bambin[oa]|medico|consulta|clinica)\b"
)
_LONG_RUN = re.compile(r"\S{65,}")


def _after_term(lower: str, start: int, end: int) -> int:
    """The first word start after `start` (a known term's end), or `end` if the head word comes next or the rest
    is no longer a name: the head itself ("syndrome") is never a name on its own."""
    m = re.compile(r"\W*").match(lower, start, end)
    first = m.end() if m else start
    return first if first < end and not re.fullmatch(r"\w+", lower[first:end]) else end


def _break_long_runs(text: str) -> str:
    """Put a space every 64 characters of a very long run, keeping every offset.

    spaCy's affix splitting is quadratic on long tokens ("{{{{..." x 2000 takes seconds);
    no word we match is that long, and same-length replacement keeps offsets valid.
    """
    if len(text) < 65 or not _LONG_RUN.search(text):
        return text
    chars = list(text)
    for m in _LONG_RUN.finditer(text):
        for i in range(m.start() + 64, m.end(), 64):
            chars[i] = " "
    return "".join(chars)


def _contains_curated(tm: TermMatch, raw: list[TermMatch]) -> bool:
    """A terminology term that strictly contains every curated event it overlaps, and starts before it."""
    overlapping = [m for m in raw if m.kind == EVENT and m.start < tm.end and tm.start < m.end]
    return bool(overlapping) and all(
        tm.start <= m.start and m.end <= tm.end and (tm.end - tm.start) > (m.end - m.start) and tm.start < m.start
        for m in overlapping
    )


def _longest_per_kind(matches: list[TermMatch]) -> list[TermMatch]:
    """Drop a match contained in a longer match of the same kind."""
    by_kind: dict[str, list[TermMatch]] = {}
    for m in matches:
        by_kind.setdefault(m.kind, []).append(m)
    kept: list[TermMatch] = []
    for group in by_kind.values():
        group.sort(key=lambda m: (m.start, -(m.end - m.start)))
        last_end = -1
        for m in group:
            if m.start >= last_end:
                kept.append(m)
                last_end = m.end
            elif m.end > last_end:
                # Overlapping, not contained: keep both so neither wording is lost.
                kept.append(m)
                last_end = m.end
    kept.sort(key=lambda m: (m.start, m.end))
    return kept


_engine: Engine | None = None
_lock = threading.Lock()


def get_engine() -> Engine:
    """Build the engine on first use (never at import) and reuse it."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                _engine = Engine(get_lexicon())
    return _engine
