"""Groups similar HCP questions by TF-IDF cosine similarity of word and character n-grams."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

WORD = re.compile(r"[a-z0-9]+")
# Character n-grams inside word boundaries absorb misspellings ("quelvanty", "injecton").
CHAR_NGRAMS = (3, 4)
# Two questions at or above this cosine similarity are about the same thing.
GROUP_THRESHOLD = 0.3


# The brand's names and spellings count as one word; function words carry no topic.
BRAND = re.compile(r"^(?:quelv\w*|qlv)$")
STOPWORDS = frozenset(
    {"a", "an", "and", "are", "at", "be", "by", "can", "do", "does", "for", "how", "i", "in", "is", "it", "my"}
    | {"of", "on", "or", "pt", "pts", "the", "to", "what", "when", "which", "who", "with"}
)


def _words(text: str) -> list[str]:
    words = [("brand" if BRAND.match(w) else w) for w in WORD.findall(text.lower())]
    return [w for w in words if w not in STOPWORDS]


def _features(text: str) -> list[str]:
    words = _words(text)
    grams = [f"w:{w}" for w in words] + [f"b:{a}_{b}" for a, b in itertools.pairwise(words)]
    for word in words:
        padded = f" {word} "
        for n in CHAR_NGRAMS:
            grams += [f"c:{padded[i : i + n]}" for i in range(max(len(padded) - n + 1, 0))]
    return grams


def tfidf(texts: Sequence[str]) -> npt.NDArray[np.float64]:
    """Row-normalised TF-IDF vectors (sublinear tf, smoothed idf), one row per text."""
    counts = [Counter(_features(t)) for t in texts]
    vocabulary = {term: i for i, term in enumerate(sorted({t for c in counts for t in c}))}
    matrix = np.zeros((len(texts), len(vocabulary)))
    documents = Counter(term for c in counts for term in c)
    idf = {term: math.log((1 + len(texts)) / (1 + df)) + 1 for term, df in documents.items()}
    for row, c in enumerate(counts):
        for term, n in c.items():
            matrix[row, vocabulary[term]] = (1 + math.log(n)) * idf[term]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    normalised: npt.NDArray[np.float64] = matrix / np.where(norms == 0, 1, norms)
    return normalised


def similarities(texts: Sequence[str]) -> npt.NDArray[np.float64]:
    """The cosine similarity of every pair of texts."""
    vectors = tfidf(texts)
    result: npt.NDArray[np.float64] = vectors @ vectors.T
    return result


def group(texts: Sequence[str], threshold: float = GROUP_THRESHOLD) -> list[list[int]]:
    """Indexes of texts grouped by single-link clustering at the threshold, largest groups first."""
    if not texts:
        return []
    sim = similarities(texts)
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if sim[i, j] >= threshold:
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def similar_to(query: Sequence[str], candidates: Sequence[str], threshold: float = GROUP_THRESHOLD) -> list[int]:
    """Indexes of candidates at or above the threshold to any query text (waiting questions an item answers)."""
    if not query or not candidates:
        return []
    sim = similarities([*query, *candidates])[: len(query), len(query) :]
    best = sim.max(axis=0)
    return [i for i, score in enumerate(best) if score >= threshold]
