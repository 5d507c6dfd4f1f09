"""The product is data: its names come from the brand profile, and no rule spells them."""

from __future__ import annotations

import re
from pathlib import Path

from compliance.nlp.brand import BRAND, product_pattern, published_numbers

ROOT = Path(__file__).resolve().parents[2]


def test_rules_embed_the_profile_not_the_brand() -> None:
    for name in ("quelvanti", "qlv", "quelvarimab", "kelvanti", "quelvarimab-avnd"):
        assert re.fullmatch(BRAND, name)


def test_a_second_brand_is_a_second_profile(tmp_path: Path) -> None:
    profile = tmp_path / "brand_profile.yaml"
    profile.write_text(
        "product:\n  canonical: Zorvexa\n  generic: zorvibart\n  aliases: [zorvexa, zrx, zorvexa's]\n"
        "  fuzzy_targets: [zorvexa, zorvibart]\n  published_phone_numbers: ['8885550100']\n",
        encoding="utf-8",
    )
    pattern = product_pattern(profile)
    assert re.fullmatch(pattern, "zrx") and re.fullmatch(pattern, "zorvibart")
    assert not re.fullmatch(pattern, "quelvanti")
    assert published_numbers(profile) == frozenset({"8885550100", "18885550100"})


def test_no_python_rule_spells_the_product() -> None:
    allowed = {"build_vocab.py", "external.py"}  # the generator's and scorer's own documentation
    for path in (ROOT / "compliance").rglob("*.py"):
        if path.name in allowed:
            continue
        code = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.strip().startswith("#")
        ]
        offenders = [line for line in code if re.search(r'r"[^"]*(?:quelvanti|quelvarimab|\bqlv\b)', line, re.I)]
        assert not offenders, (path.name, offenders[:2])
