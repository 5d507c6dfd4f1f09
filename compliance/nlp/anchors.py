"""What ties a message to a medicine, from `vocab/anchors.yaml`: the product's own forms ("the pen", "post-inj")
and words for a medicine or its use ("medication", "prescribed"). One list, shared by the detectors that ask."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

_VOCAB = Path(__file__).resolve().parents[1] / "vocab" / "anchors.yaml"


@cache
def _lists() -> dict[str, list[str]]:
    data = yaml.safe_load(_VOCAB.read_text(encoding="utf-8"))
    return {key: [str(w) for w in data[key]] for key in ("product_forms", "medicine_words")}


def alternation(*keys: str) -> str:
    """The lists named, as one regular-expression alternation (no boundaries)."""
    return "|".join(w for key in keys for w in _lists()[key])


# The product's own forms: "the pen", "shots", "post-injection", "loading dose".
PRODUCT_FORM = re.compile(r"\b(?:" + alternation("product_forms") + r")\b")
# A medicine named or implied: the product's forms and the words for any medicine.
MEDICINE_ANCHOR = re.compile(r"\b(?:" + alternation("product_forms", "medicine_words") + r")\b")
