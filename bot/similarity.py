"""How close a question is to an item's own example questions: character n-gram TF-IDF cosine, pure Python.

The abstention check after the classifier: a topic is answered only if the question also resembles the
questions that item was approved for. Redaction placeholders ([PHONE], [EMAIL]...) are ignored on both sides.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import yaml

from bot import reference
from bot.text import normalise
from content_library import ContentLibrary, Kind, Status

NGRAMS = (3, 4, 5)
CACHE_SIZE = 100_000
# Hand-written questions with no approved answer: a question closer to these than to the item is not answered.
UNANSWERABLE = Path(__file__).resolve().parent / "data" / "nlu" / "novel_question.yml"
NOVEL = "(no approved answer)"
# Everyday questions and small talk: a word they use is no evidence of a product question.
OFF_DOMAIN = tuple(UNANSWERABLE.parent / name for name in ("off_domain.yml", "out_of_scope.yml", "chitchat.yml"))
# The product topics' training questions: every word a product question has been seen to use.
CONTENT_NLU = UNANSWERABLE.parent / "content.yml"
PRODUCT_WORD = re.compile(r"^(q(ue)?lv|avendra)")
MIN_WORD = 4
MIN_USES = 3
# Everyday words the small everyday sample happens not to use.
GENERIC = frozenset(
    [
        "allowed",
        "apply",
        "asks",
        "available",
        "away",
        "child",
        "children",
        "code",
        "company",
        "continue",
        "date",
        "expect",
        "form",
        "free",
        "given",
        "happens",
        "held",
        "history",
        "hold",
        "important",
        "instead",
        "issue",
        "just",
        "kept",
        "kids",
        "known",
        "late",
        "levels",
        "main",
        "month",
        "months",
        "needed",
        "needs",
        "obtain",
        "offer",
        "older",
        "outside",
        "positive",
        "process",
        "provide",
        "reach",
        "require",
        "required",
        "resume",
        "want",
    ]
)


def _nlu_examples(path: Path) -> list[str]:
    """The examples of a Rasa NLU file (every intent)."""
    if not path.exists():
        return []
    out: list[str] = []
    for block in (yaml.safe_load(path.read_text()) or {}).get("nlu", []):
        lines = str(block.get("examples", "")).splitlines()
        out.extend(line.strip()[2:] for line in lines if line.strip().startswith("- "))
    return out


# Common English words (SCOWL 35, shared with the compliance layer's name rules).
COMMON_WORDS = Path(__file__).resolve().parents[1] / "compliance" / "vocab" / "english_words.txt"
_INFLECTIONS = ("s", "es", "ed", "d", "ing", "ly", "er", "ers")


@cache
def _common_words() -> frozenset[str]:
    lines = COMMON_WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def common_word(word: str) -> bool:
    """A common English word or an inflection of one ("treated", "training", "sends")."""
    common = _common_words()
    if word in common:
        return True
    for suffix in _INFLECTIONS:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and (stem in common or stem + "e" in common):
            return True
    return False


def _lexicon(in_domain: Iterable[str], off_domain: Iterable[str]) -> set[str]:
    """Words in-domain questions use often and everyday ones never (not stop words, not product names)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # both virtualenvs have scikit-learn

    counts = Counter(w for text in in_domain for w in normalise(text).split() if len(w) >= MIN_WORD)
    everyday = {w for text in off_domain for w in normalise(text).split()} | set(ENGLISH_STOP_WORDS) | GENERIC
    return {w for w, n in counts.items() if n >= MIN_USES and w not in everyday and not PRODUCT_WORD.match(w)}


Vector = dict[str, float]


def _grams(text: str) -> Counter[str]:
    grams: Counter[str] = Counter()
    for word in normalise(text).split():
        padded = f" {word} "
        for n in NGRAMS:
            grams.update(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
    return grams


class ExampleIndex:
    """TF-IDF vectors of every approved answer item's examples, grouped by topic."""

    def __init__(
        self,
        examples: Mapping[str, Iterable[str]],
        off_domain: Iterable[str] = (),
        lexicon_from: Iterable[str] | None = None,
    ) -> None:
        examples = {topic: list(texts) for topic, texts in examples.items()}
        in_domain = list(lexicon_from) if lexicon_from is not None else [e for t in examples.values() for e in t]
        self.lexicon = _lexicon(in_domain, off_domain)
        self.vocabulary = {w for texts in examples.values() for text in texts for w in normalise(text).split()}
        self.vocabulary.update(w for text in in_domain for w in normalise(text).split())
        grams = {topic: [_grams(e) for e in texts] for topic, texts in examples.items()}
        documents = [g for group in grams.values() for g in group]
        frequency: Counter[str] = Counter(gram for g in documents for gram in g)
        total = max(1, len(documents))
        self._idf = {gram: math.log((1 + total) / (1 + df)) + 1.0 for gram, df in frequency.items()}
        self._default_idf = math.log(1 + total) + 1.0
        self._vectors = {topic: [self._vector(g) for g in group] for topic, group in grams.items()}
        self._cache: dict[tuple[str, str], float] = {}

    @classmethod
    def from_library(cls, library: ContentLibrary, unanswerable: Path | None = UNANSWERABLE) -> ExampleIndex:
        """The index of the library's approved answer items (their examples and the training half of their
        topics' reference questions), plus the unanswerable questions (NOVEL)."""
        examples: dict[str, list[str]] = {}
        for item in library.items():
            if item.kind is Kind.ANSWER and item.status is Status.APPROVED:
                examples.setdefault(item.topic, []).extend(item.examples)
        own = [e for topic_examples in examples.values() for e in topic_examples]
        for topic, questions in reference.training_half(examples, own).items():
            examples[topic].extend(questions)
        # The domain gate's words come from the approved examples and the unanswerable questions only: the
        # reference questions' everyday words ("transfer", "package", "route") would open it to small talk.
        novel = _nlu_examples(unanswerable) if unanswerable is not None else []
        if unanswerable is not None:
            examples[NOVEL] = novel
        off_domain = [e for path in OFF_DOMAIN for e in _nlu_examples(path)] if unanswerable is not None else []
        index = cls(examples, off_domain, lexicon_from=[*own, *novel])
        if unanswerable is not None:
            index.vocabulary.update(w for text in _nlu_examples(CONTENT_NLU) for w in normalise(text).split())
        return index

    def domain_words(self, text: str) -> set[str]:
        """The words of the text that only product and medical questions use (the domain gate's lexicon)."""
        return set(normalise(text).split()) & self.lexicon

    def foreign_words(self, text: str) -> list[str]:
        """Common English words no product question has been seen to use ("sourdough", "rice", "dog", "paint"):
        each one is evidence that the text is about something else."""
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return [
            w
            for w in normalise(text).split()
            if len(w) >= 3
            and w not in self.vocabulary
            and w not in ENGLISH_STOP_WORDS
            and w not in GENERIC
            and not PRODUCT_WORD.match(w)
            and common_word(w)
        ]

    def in_domain(self, text: str) -> bool:
        """The text uses the domain's words: one that is no common English word ("excipients", "warfarin"), or
        two common ones. A single everyday word the product's examples happen to use ("send", "training",
        "treated", "department") is no evidence: "best marathon training plan" is not a product question."""
        words = self.domain_words(text)
        return len(words) >= 2 or any(not common_word(w) for w in words)

    def _vector(self, grams: Counter[str]) -> Vector:
        vector = {g: (1 + math.log(c)) * self._idf.get(g, self._default_idf) for g, c in grams.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {g: v / norm for g, v in vector.items()}

    def similarity(self, text: str, topic: str) -> float:
        """The best cosine between the text and one of the topic's examples (0 if the topic has none)."""
        key = (text, topic)
        if key in self._cache:
            return self._cache[key]
        if len(self._cache) > CACHE_SIZE:
            self._cache.clear()
        query = self._vector(_grams(text))
        best = 0.0
        for example in self._vectors.get(topic, ()):
            small, large = (query, example) if len(query) < len(example) else (example, query)
            best = max(best, sum(v * large.get(g, 0.0) for g, v in small.items()))
        self._cache[key] = best
        return best

    def nearest(self, text: str) -> float:
        """The best similarity to any answer topic's examples."""
        return max((self.similarity(text, topic) for topic in self.topics()), default=0.0)

    def topics(self) -> tuple[str, ...]:
        """Every answer topic with examples."""
        return tuple(t for t in self._vectors if t != NOVEL)
