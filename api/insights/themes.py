"""Unanswered-question themes: clusters of redacted review questions by TF-IDF cosine similarity.

Questions are grouped by identical redacted text first (repeats are common), then the distinct texts are
vectorised (words, English and domain stop words removed, sublinear tf) and clustered by
average-linkage agglomerative clustering on cosine distance, cut at THEME_DISTANCE. A theme is labelled by
its top terms and shown with its most central question; a theme asked by fewer than K_ANONYMITY HCPs is
suppressed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.insights.models import InsightQuestion
from api.insights.service import K_ANONYMITY, Filters, Table

THEME_DISTANCE = 0.8
# Words in nearly every question to the brand's assistant: they say nothing about what a theme is.
DOMAIN_STOP_WORDS = frozenset(
    {"quelvanti", "quelvarimab", "qlv", "patient", "patients", "use", "ok", "safe", "tell", "know", "does", "just"}
)
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | DOMAIN_STOP_WORDS)
# The most recent questions clustered per request: bounds the work on a large range.
MAX_QUESTIONS = 5000
MAX_DISTINCT_TEXTS = 800
LABEL_TERMS = 3
MAX_THEMES = 15


@dataclass(frozen=True)
class Theme:
    """A cluster of similar questions."""

    label: str
    example: str
    questions: int
    hcps: int


def _questions(session: Session, filters: Filters) -> list[tuple[str, str]]:
    query = (
        select(InsightQuestion.text, InsightQuestion.hcp_key)
        .where(
            InsightQuestion.occurred_at >= _midnight(filters.start),
            InsightQuestion.occurred_at < _midnight(filters.end, days=1),
        )
        .order_by(InsightQuestion.occurred_at.desc())
        .limit(MAX_QUESTIONS)
    )
    if filters.specialty:
        query = query.where(InsightQuestion.specialty == filters.specialty)
    if filters.stage:
        query = query.where(InsightQuestion.stage == filters.stage)
    return [(text, key) for text, key in session.execute(query)]


def _midnight(day: dt.date, days: int = 0) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=days), dt.time(), dt.UTC)


def vectorizer() -> TfidfVectorizer:
    """The TF-IDF vectoriser of questions."""
    return TfidfVectorizer(stop_words=STOP_WORDS, sublinear_tf=True)


def cluster(vectors: Any) -> list[int]:
    """A cluster number for each TF-IDF row (similar texts share one)."""
    if vectors.shape[0] < 2:
        return [0] * vectors.shape[0]
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=THEME_DISTANCE
    )
    labels: list[int] = model.fit_predict(vectors.toarray()).tolist()
    return labels


def themes(session: Session, filters: Filters) -> tuple[list[Theme], int]:
    """The themes of unanswered questions in range, largest first, and how many were suppressed."""
    asked: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for text, key in _questions(session, filters):
        normalised = " ".join(text.lower().split())
        asked[normalised].add(key)
        counts[normalised] += 1
    texts = sorted(counts, key=lambda t: (-counts[t], t))[:MAX_DISTINCT_TEXTS]
    if not texts:
        return [], 0
    tfidf = vectorizer()
    try:
        vectors = tfidf.fit_transform(texts)
    except ValueError:  # nothing but stop words
        return [], 0
    labels = cluster(vectors)
    terms = np.array(tfidf.get_feature_names_out())
    members: dict[int, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        members[label].append(index)
    found: list[Theme] = []
    suppressed = 0
    for indices in members.values():
        hcps = set().union(*(asked[texts[i]] for i in indices))
        if len(hcps) < K_ANONYMITY:
            suppressed += 1
            continue
        weights = np.asarray(
            vectors[indices].multiply(np.array([[counts[texts[i]]] for i in indices])).sum(axis=0)
        )
        weights = weights.ravel()
        top = [str(terms[j]) for j in weights.argsort()[::-1][:LABEL_TERMS] if weights[j] > 0]
        centroid = np.asarray(vectors[indices].mean(axis=0)).ravel()
        scores = vectors[indices] @ centroid
        example = texts[indices[int(np.argmax(scores))]]
        found.append(Theme(", ".join(top), example, sum(counts[texts[i]] for i in indices), len(hcps)))
    found.sort(key=lambda t: (-t.questions, t.label))
    return found[:MAX_THEMES], suppressed


def themes_table(session: Session, filters: Filters) -> Table:
    """The themes as a dashboard table."""
    found, suppressed = themes(session, filters)
    table = Table("themes", "Unanswered-question themes", ["theme", "example_question", "questions", "hcps"])
    table.rows = [[t.label, t.example, t.questions, t.hcps] for t in found]
    table.suppressed = suppressed
    return table
