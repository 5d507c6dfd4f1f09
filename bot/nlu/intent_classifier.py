"""Rasa component: class-balanced logistic regression on TF-IDF n-grams plus the MiniLM sentence embedding.

Rasa's LogisticRegressionClassifier stacks raw counts with dense features; here the word and char_wb n-gram counts
are TF-IDF weighted (sublinear, L2-normalised per block), so the unit-length sentence embedding carries comparable
weight. Chosen on the calibration sets (bot/eval/heldout.yml, heldout2.yml, calibration.yml), not the test set.
Persisted as plain arrays and vocabularies (no pickle).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from typing import Any

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.nlu.minilm import DIMENSIONS
from bot.nlu.minilm_featurizer import sentence_embedding

logger = logging.getLogger(__name__)

WORDS: dict[str, Any] = {"token_pattern": r"(?u)\b\w+\b"}
CHARS: dict[str, Any] = {"analyzer": "char_wb", "ngram_range": (2, 5)}
ARRAYS = "classifier.npz"
VOCABULARIES = "vocabularies.json"


def _tokens(message: Message) -> str:
    """The message as the tokenizer split it (punctuation dropped), as the count featurizers see it."""
    tokens = message.get(TOKENS_NAMES[TEXT]) or []
    return " ".join(t.text for t in tokens) if tokens else str(message.get(TEXT) or "")


class _TfIdf:
    """A fitted TF-IDF block rebuilt from its vocabulary and idf (sublinear tf, L2 rows)."""

    def __init__(self, options: dict[str, Any], vocabulary: dict[str, int], idf: np.ndarray) -> None:
        self.options = options
        # scikit-learn's own analyzer, built once: CountVectorizer.transform rebuilds it on every call.
        self.analyze = CountVectorizer(**options).build_analyzer()
        self.vocabulary = vocabulary
        self.idf = idf

    @classmethod
    def fit(cls, options: dict[str, Any], texts: list[str]) -> _TfIdf:
        """Learn vocabulary and idf (sklearn's smoothed idf)."""
        fitted = TfidfVectorizer(sublinear_tf=True, **options).fit(texts)
        vocabulary = {str(k): int(v) for k, v in fitted.vocabulary_.items()}
        return cls(options, vocabulary, np.asarray(fitted.idf_, dtype=np.float64))

    def _row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        counts = Counter(i for term in self.analyze(text) if (i := self.vocabulary.get(term)) is not None)
        columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self.idf[
            columns
        ]
        norm = float(np.sqrt(values @ values))
        return columns, values / norm if norm > 0 else values

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        """TF-IDF rows, as TfidfVectorizer(sublinear_tf=True) gives them."""
        rows = [self._row(t) for t in texts]
        pointers = np.cumsum([0, *(len(c) for c, _ in rows)])
        columns = np.concatenate([c for c, _ in rows]) if rows else np.zeros(0, dtype=np.int64)
        values = np.concatenate([v for _, v in rows]) if rows else np.zeros(0)
        return sp.csr_matrix((values, columns, pointers), shape=(len(texts), len(self.vocabulary)))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class EmbeddingIntentClassifier(IntentClassifier, GraphComponent):
    """Intent ranking from TF-IDF n-grams plus the MiniLM sentence embedding (MiniLMFeaturizer runs before)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """C of the logistic regression, the embedding's weight against the TF-IDF blocks, ranking length."""
        return {"C": 10.0, "embedding_weight": 1.0, "max_iter": 300, "ranking_length": 10, "random_state": 42}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self.config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self.blocks: list[_TfIdf] = []
        self.classes: list[str] = []
        self.coef = np.zeros((0, 0))
        self.intercept = np.zeros(0)
        self._weights: np.ndarray | None = None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EmbeddingIntentClassifier:
        """An untrained classifier."""
        return cls(config, model_storage, resource)

    @staticmethod
    def required_packages() -> list[str]:
        """scikit-learn fits the regression."""
        return ["sklearn"]

    def _matrix(self, messages: list[Message]) -> sp.csr_matrix:
        texts = [_tokens(m) for m in messages]
        embeddings = np.zeros((len(messages), DIMENSIONS))
        for row, message in enumerate(messages):
            vector = sentence_embedding(message)
            if vector is not None:
                embeddings[row] = vector
        dense = sp.csr_matrix(self.config["embedding_weight"] * embeddings)
        return sp.hstack([*(b.transform(texts) for b in self.blocks), dense]).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        """Fit on every example with an intent and text."""
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            logger.debug("No intent examples: %s not trained.", type(self).__name__)
            return self._resource
        texts = [_tokens(m) for m in examples]
        self.blocks = [_TfIdf.fit(WORDS, texts), _TfIdf.fit(CHARS, texts)]
        model = LogisticRegression(
            C=self.config["C"],
            class_weight="balanced",
            max_iter=self.config["max_iter"],
            random_state=self.config["random_state"],
        ).fit(self._matrix(examples), [str(e.get(INTENT)) for e in examples])
        self.classes = [str(c) for c in model.classes_]
        self.coef, self.intercept, self._weights = model.coef_, model.intercept_, None
        self.persist()
        return self._resource

    def _probabilities(self, messages: list[Message]) -> np.ndarray:
        if self._weights is None:
            # (features, classes), contiguous: sparse @ dense would otherwise copy the transpose on every parse.
            self._weights = np.ascontiguousarray(self.coef.T)
        logits = np.asarray(self._matrix(messages) @ self._weights) + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        result: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
        return result

    def process(self, messages: list[Message]) -> list[Message]:
        """Set `intent` and `intent_ranking` (best first, `ranking_length` long)."""
        if not self.classes:
            return messages
        for message, row in zip(messages, self._probabilities(messages), strict=True):
            order = np.argsort(-row)[: self.config["ranking_length"] or len(row)]
            ranking = [{"name": self.classes[i], "confidence": float(row[i])} for i in order]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Nothing to add to training data."""
        return training_data

    def persist(self) -> None:
        """Arrays in an .npz, vocabularies in JSON: nothing executable."""
        with self._storage.write_to(self._resource) as directory:
            arrays: dict[str, Any] = {f"idf{i}": b.idf for i, b in enumerate(self.blocks)}
            np.savez(directory / ARRAYS, coef=self.coef, intercept=self.intercept, **arrays)
            (directory / VOCABULARIES).write_text(
                json.dumps({"classes": self.classes, "vocabularies": [b.vocabulary for b in self.blocks]})
            )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> EmbeddingIntentClassifier:
        """The trained classifier (untrained if the model has none, e.g. no NLU data)."""
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                with np.load(directory / ARRAYS, allow_pickle=False) as stored:
                    arrays = {name: stored[name] for name in stored.files}
                saved = json.loads((directory / VOCABULARIES).read_text())
        except (ValueError, FileNotFoundError):
            logger.debug("No trained %s in the model.", cls.__name__)
            return component
        component.classes = list(saved["classes"])
        component.coef, component.intercept = arrays["coef"], arrays["intercept"]
        component.blocks = [
            _TfIdf(options, vocabulary, arrays[f"idf{i}"])
            for i, (options, vocabulary) in enumerate(zip((WORDS, CHARS), saved["vocabularies"], strict=True))
        ]
        return component
