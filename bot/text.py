"""The one form two questions are compared in (the similarity index, the reference split, leak checks)."""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")
NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case words only, placeholders dropped."""
    return " ".join(NON_WORD.sub(" ", PLACEHOLDER.sub(" ", text).lower()).split())
