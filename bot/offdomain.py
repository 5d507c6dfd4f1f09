"""Broad off-domain negatives for the out_of_scope intent: everyday assistant queries, generated.

Templates with fillers (bot/offdomain_templates.yml) across everyday subjects (banking, travel, cooking, tech
support, small talk, trivia, weather, shopping, home, cars, work, school...), deliberately reusing words the
product topics also use (store, temperature, dose, week, cost, insurance...) so the domain gate learns that
such words alone are not a product question. Deterministic (seeded).
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

SEED = 20261130
DEFAULT_COUNT = 900
TRAP_COUNT = 300
TEMPLATES_FILE = Path(__file__).resolve().parent / "offdomain_templates.yml"
SLOT = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(TEMPLATES_FILE.read_text())
    return data


def _fill(template: str, rng: random.Random, fillers: str = "fillers") -> str:
    data = _data()
    text = template
    if "{unit}" in text:
        unit, unit2 = rng.choice(data["units"])
        text = text.replace("{unit}", unit).replace("{unit2}", unit2)
    return SLOT.sub(lambda m: str(rng.choice(data[fillers][m.group(1)])), text)


def _vary(text: str, rng: random.Random) -> str:
    data = _data()
    text = rng.choice(data["prefixes"]) + text + rng.choice(data["suffixes"])
    if rng.random() < 0.15:
        old, new = rng.choice(data["typos"])
        text = re.sub(rf"\b{old}\b", new, text, count=1)
    if rng.random() < 0.2:
        text = text[0].upper() + text[1:]
    return " ".join(text.split())


def _generated(templates: list[str], fillers: str, count: int, seed: int) -> list[str]:
    """`count` distinct queries, every template used once before any is drawn again, sorted (stable output)."""
    rng = random.Random(seed)
    out: set[str] = set()
    attempts = 0
    while len(out) < count and attempts < count * 20:
        attempts += 1
        template = templates[attempts % len(templates)] if attempts <= len(templates) else rng.choice(templates)
        out.add(_vary(_fill(template, rng, fillers), rng))
    return sorted(out)


def off_domain_queries(count: int = DEFAULT_COUNT, seed: int = SEED) -> list[str]:
    """`count` distinct everyday queries, spread evenly over the subjects, sorted (stable output)."""
    return _generated([t for group in _data()["templates"].values() for t in group], "fillers", count, seed)


def label_word_traps(count: int = TRAP_COUNT, seed: int = SEED) -> list[str]:
    """`count` distinct everyday requests that use the label's own words in another sense ("why is there a
    copay on my phone bill", "free perfume samples by mail", "contraindications for burpees with bad knees")."""
    return _generated(list(_data()["label_word_traps"]), "trap_fillers", count, seed)
