"""The brand profile (`vocab/brand_profile.yaml`) as the regex alternation the framing rules embed.

Every rule that names the product ("on quelvanti", "after starting qlv") uses `BRAND` instead of
spelling the brand, so a second brand is a second profile, not a code change. Read once, at import:
the profile is a few lines of data that the compiled patterns need.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

PROFILE = Path(__file__).resolve().parents[1] / "vocab" / "brand_profile.yaml"


def product_pattern(path: Path = PROFILE) -> str:
    """A non-capturing-safe alternation of the product's names, misspellings and fuzzy stems."""
    product = yaml.safe_load(path.read_text(encoding="utf-8"))["product"]
    names = {str(a).lower() for a in product["aliases"]} | {str(product["generic"]).lower()}
    stems = {str(t).lower()[:6] for t in product["fuzzy_targets"] if len(str(t)) > 6}
    alternatives = [re.escape(n).replace(r"\ ", " ") for n in sorted(names, key=lambda n: (-len(n), n))]
    alternatives += [re.escape(s) + r"\w*" for s in sorted(stems)]
    return "(?:" + "|".join(alternatives) + ")"


def _profile(path: Path = PROFILE) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["product"]
    assert isinstance(data, dict)
    return data


def company_domains(path: Path = PROFILE) -> str:
    """An alternation of the company's own web names (links to them are not spam)."""
    names = _profile(path).get("company_domains") or []
    assert isinstance(names, list)
    return "(?:" + "|".join(re.escape(str(n).lower()) for n in names) + ")" if names else "(?!)"


def published_numbers(path: Path = PROFILE) -> frozenset[str]:
    """The company's published phone numbers (digits only, with and without a leading 1)."""
    numbers = _profile(path).get("published_phone_numbers") or []
    assert isinstance(numbers, list)
    digits = {"".join(c for c in str(n) if c.isdigit()) for n in numbers}
    return frozenset(digits | {"1" + d for d in digits if len(d) == 10})


BRAND = product_pattern()
COMPANY = company_domains()
PUBLISHED_NUMBERS = published_numbers()
